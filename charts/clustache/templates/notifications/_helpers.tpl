{{/*
Notifications: what Alertmanager's `clustache` receivers send to, from the `notifications`
values. Secrets are read from files Alertmanager mounts from alertmanagerSpec.secrets.
*/}}

{{- define "clustache.notifications.mailCatcher.fullname" -}}
{{- printf "%s-notifications" (include "clustache.fullname" .) }}
{{- end }}

{{/* Where Alertmanager mounts an existing Secret's key. Call with (dict "context" $ "secret" name "key" key "value" "<values path>"). */}}
{{- define "clustache.notifications.secretFile" -}}
{{- $spec := (index .context.Values "kube-prometheus-stack" "alertmanager" "alertmanagerSpec") | default dict }}
{{- if not .secret }}
{{- fail (printf "%s.existingSecret is required: name the Secret that holds it" .value) }}
{{- end }}
{{- if not (has .secret ($spec.secrets | default list)) }}
{{- fail (printf "%s.existingSecret %q must also be listed in kube-prometheus-stack.alertmanager.alertmanagerSpec.secrets, so that Alertmanager mounts it" .value .secret) }}
{{- end }}
{{- printf "/etc/alertmanager/secrets/%s/%s" .secret .key }}
{{- end }}

{{/* The email_configs, slack_configs and webhook_configs of a `clustache` receiver, as YAML. */}}
{{- define "clustache.notifications.receiverConfigs" -}}
{{- $n := .Values.notifications }}
{{- $email := list }}
{{- if $n.mailCatcher.enabled }}
{{- $email = append $email (dict "to" $n.mailCatcher.to "from" "alertmanager@clustache.local" "smarthost" (printf "%s:1025" (include "clustache.notifications.mailCatcher.fullname" .)) "require_tls" false "send_resolved" true) }}
{{- end }}
{{- if $n.email.enabled }}
{{- range $key := list "to" "from" "smarthost" }}
{{- if not (index $n.email $key) }}
{{- fail (printf "notifications.email.%s is required when notifications.email.enabled is true" $key) }}
{{- end }}
{{- end }}
{{- $mail := dict "to" $n.email.to "from" $n.email.from "smarthost" $n.email.smarthost "require_tls" $n.email.requireTls "send_resolved" true }}
{{- if $n.email.authUsername }}
{{- $_ := set $mail "auth_username" $n.email.authUsername }}
{{- $_ := set $mail "auth_password_file" (include "clustache.notifications.secretFile" (dict "context" . "secret" $n.email.existingSecret "key" $n.email.existingSecretKey "value" "notifications.email")) }}
{{- end }}
{{- $email = append $email $mail }}
{{- end }}
{{- with $email }}
email_configs:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $n.slack.enabled }}
{{- $slack := dict "api_url_file" (include "clustache.notifications.secretFile" (dict "context" . "secret" $n.slack.existingSecret "key" $n.slack.existingSecretKey "value" "notifications.slack")) "send_resolved" true }}
{{- with $n.slack.channel }}
{{- $_ := set $slack "channel" . }}
{{- end }}
slack_configs:
  - {{- toYaml $slack | nindent 4 }}
{{- end }}
{{- if $n.webhook.enabled }}
{{- $hook := dict "send_resolved" true }}
{{- if $n.webhook.existingSecret }}
{{- $_ := set $hook "url_file" (include "clustache.notifications.secretFile" (dict "context" . "secret" $n.webhook.existingSecret "key" $n.webhook.existingSecretKey "value" "notifications.webhook")) }}
{{- else if $n.webhook.url }}
{{- $_ := set $hook "url" $n.webhook.url }}
{{- else }}
{{- fail "notifications.webhook needs url or existingSecret" }}
{{- end }}
webhook_configs:
  - {{- toYaml $hook | nindent 4 }}
{{- end }}
{{- end }}
