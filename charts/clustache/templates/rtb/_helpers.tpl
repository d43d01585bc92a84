{{/*
The RTB workload (issue 7): one clustache/rtb image run in two roles, each its own component
("rtb-api", "rtb-aggregator") with its own Deployment, Service and ServiceMonitor. Templates
range over the roles; role-specific values live under rtb.<role>.
*/}}
{{- define "clustache.rtb.roles" -}}
{{- list "api" "aggregator" | toJson }}
{{- end }}

{{/* The component (and name suffix) of a role: rtb-api, rtb-aggregator. */}}
{{- define "clustache.rtb.component" -}}
{{- printf "rtb-%s" . }}
{{- end }}

{{/* "<fullname>-rtb-<role>". Call with (dict "context" $ "role" "api"). */}}
{{- define "clustache.rtb.fullname" -}}
{{- printf "%s-%s" (include "clustache.fullname" .context) (include "clustache.rtb.component" .role) }}
{{- end }}

{{/* REDIS_URL of both roles: rtb.redisUrl, else the API's Redis (api.redisUrl or the bundled Valkey). */}}
{{- define "clustache.rtb.redisUrl" -}}
{{- include "clustache.redisUrl" (dict "context" . "url" (coalesce .Values.rtb.redisUrl .Values.api.redisUrl) "key" "rtb.redisUrl") }}
{{- end }}

{{/*
A role's own env entries; clustache.podSpec adds the ones every service has. Call with
(dict "context" $ "role" "api" "values" <rtb.<role> values>).
*/}}
{{- define "clustache.rtb.env" -}}
{{- $rtb := .context.Values.rtb }}
- name: RTB_AGGREGATE_RETENTION_MINUTES
  value: {{ $rtb.aggregateRetentionMinutes | quote }}
{{- if eq .role "api" }}
- name: RTB_PROFILE_TAGS
  value: {{ $rtb.profileTags | quote }}
- name: RTB_PROFILE_RETENTION_SECONDS
  value: {{ $rtb.profileRetentionSeconds | quote }}
- name: RTB_DEBUG
  value: {{ ternary "1" "0" $rtb.debug | quote }}
{{- else }}
- name: RTB_AGGREGATORS
  value: {{ .values.aggregatorsPerPod | quote }}
- name: RTB_CLAIM_IDLE_MS
  value: {{ $rtb.claimIdleMs | quote }}
{{- end }}
{{- end }}
