{{/*
Redis auth and storage (redis.*). The bundled Valkey reads its password from the same Secret
as the API, the RTB roles and the exporter; the names below are what every template uses.
*/}}

{{/* The Secret holding the Redis password: redis.auth.existingSecret, else "<release>-redis-auth". */}}
{{- define "clustache.redis.authSecretName" -}}
{{- default (printf "%s-redis-auth" .Release.Name) .Values.redis.auth.existingSecret }}
{{- end }}

{{/* The password's key in that Secret: redis.auth.existingSecretKey, or "password" in the generated one. */}}
{{- define "clustache.redis.authSecretKey" -}}
{{- ternary .Values.redis.auth.existingSecretKey "password" (not (empty .Values.redis.auth.existingSecret)) }}
{{- end }}

{{/*
REDIS_PASSWORD from the Secret, for a container's env list: the bundled Valkey's password, or
an external Redis's when redis.auth.existingSecret names one; nothing when redis.auth is off.
The services add it to REDIS_URL themselves, so the password is never in the pod spec.
*/}}
{{- define "clustache.redis.passwordEnv" -}}
{{- if and .Values.redis.auth.enabled (or .Values.redis.enabled .Values.redis.auth.existingSecret) }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "clustache.redis.authSecretName" . }}
      key: {{ include "clustache.redis.authSecretKey" . }}
{{- end }}
{{- end }}

{{/*
The claim valkey.extraVolumes names "valkey-db": the chart makes it (redis.persistence) and
Valkey mounts it at /data/db. Empty when there is no such volume.
*/}}
{{- define "clustache.redis.claimName" -}}
{{- range (.Values.valkey.extraVolumes | default list) }}
{{- if and (eq .name "valkey-db") .persistentVolumeClaim }}
{{- .persistentVolumeClaim.claimName }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Fails, naming the values to change, when the bundled Valkey and the clients would disagree
about the password: a different Secret or key, or auth on one side only.
*/}}
{{- define "clustache.redis.validate" -}}
{{- if .Values.redis.enabled }}
{{- $auth := .Values.valkey.auth | default dict }}
{{- if ne (toString .Values.redis.auth.enabled) (toString ($auth.enabled | default false)) }}
{{- fail "redis.auth.enabled and valkey.auth.enabled must be equal: the API and Valkey would disagree about the password" }}
{{- end }}
{{- if .Values.redis.auth.enabled }}
{{- $secret := tpl ($auth.usersExistingSecret | default "") . }}
{{- if ne $secret (include "clustache.redis.authSecretName" .) }}
{{- fail (printf "valkey.auth.usersExistingSecret must name the Secret the API reads (%s), not %q: set it to redis.auth.existingSecret" (include "clustache.redis.authSecretName" .) $secret) }}
{{- end }}
{{- $key := (index ($auth.aclUsers | default dict) "default" | default dict).passwordKey | default "default" }}
{{- if ne $key (include "clustache.redis.authSecretKey" .) }}
{{- fail (printf "valkey.auth.aclUsers.default.passwordKey (%s) must name the key the API reads (%s): set it to redis.auth.existingSecretKey" $key (include "clustache.redis.authSecretKey" .)) }}
{{- end }}
{{- end }}
{{- if and .Values.redis.persistence.enabled (not (include "clustache.redis.claimName" .)) }}
{{- fail "redis.persistence.enabled needs a valkey.extraVolumes entry named valkey-db with a persistentVolumeClaim (see values.yaml)" }}
{{- end }}
{{- end }}
{{- end }}
