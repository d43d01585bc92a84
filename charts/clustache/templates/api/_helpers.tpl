{{/* The API container's own env entries; clustache.podSpec adds the ones every service has. */}}
{{- define "clustache.api.env" -}}
- name: SOURCE_LATENCY_MS
  value: {{ .Values.api.sourceLatencyMs | quote }}
- name: CACHE_TTL_SECONDS
  value: {{ .Values.api.cacheTtlSeconds | quote }}
- name: SESSION_TTL_SECONDS
  value: {{ .Values.api.sessionTtlSeconds | quote }}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "clustache.api.adminTokenSecretName" . }}
      key: {{ include "clustache.api.adminTokenSecretKey" . }}
{{- end }}
