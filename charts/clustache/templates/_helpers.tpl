{{/*
Names. Every resource of this chart is named "<fullname>-<component>"; the chart's own
components are api, loadtest and, when rtb.enabled, rtb-api and rtb-aggregator.
*/}}
{{- define "clustache.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release-wide prefix: the release name alone when it already contains the chart name. */}}
{{- define "clustache.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "clustache.api.fullname" -}}
{{- printf "%s-api" (include "clustache.fullname" .) }}
{{- end }}

{{- define "clustache.loadtest.fullname" -}}
{{- printf "%s-loadtest" (include "clustache.fullname" .) }}
{{- end }}

{{- define "clustache.monitoring.fullname" -}}
{{- printf "%s-monitoring" (include "clustache.fullname" .) }}
{{- end }}

{{- define "clustache.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels. Call with a dict: (dict "context" $ "component" "api").
*/}}
{{- define "clustache.selectorLabels" -}}
app.kubernetes.io/name: {{ include "clustache.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "clustache.labels" -}}
helm.sh/chart: {{ include "clustache.chart" .context }}
{{ include "clustache.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: clustache
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
{{- end }}

{{/*
An image reference: repository:tag (the chart's appVersion when the tag is empty), or
repository@digest when a digest is set. Call with (dict "context" $ "image" <image values>).
*/}}
{{- define "clustache.image" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .context.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/* The cache-api image reference. */}}
{{- define "clustache.api.image" -}}
{{- include "clustache.image" (dict "context" . "image" .Values.api.image) }}
{{- end }}

{{/* The Secret and key holding ADMIN_TOKEN. */}}
{{- define "clustache.api.adminTokenSecretName" -}}
{{- default (printf "%s-admin-token" (include "clustache.api.fullname" .)) .Values.api.adminToken.existingSecret }}
{{- end }}

{{- define "clustache.api.adminTokenSecretKey" -}}
{{- if .Values.api.adminToken.existingSecret }}
{{- .Values.api.adminToken.existingSecretKey }}
{{- else -}}
admin-token
{{- end }}
{{- end }}

{{/*
Dependency names. These follow the naming rules of the dependencies themselves (their
"<chart>.fullname" helpers, honouring their fullnameOverride and nameOverride values), so
the API finds Valkey and k6 finds Prometheus whatever the release is called.
*/}}
{{- define "clustache.dependencyFullname" -}}
{{- $values := index .context.Values .chart | default dict }}
{{- if $values.fullnameOverride }}
{{- $values.fullnameOverride | trunc .max | trimSuffix "-" }}
{{- else }}
{{- $name := default .chart $values.nameOverride }}
{{- if contains $name .context.Release.Name }}
{{- .context.Release.Name | trunc .max | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .context.Release.Name $name | trunc .max | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* kube-prometheus-stack truncates its fullname to 26 characters. */}}
{{- define "clustache.kubePrometheusStack.fullname" -}}
{{- include "clustache.dependencyFullname" (dict "context" . "chart" "kube-prometheus-stack" "max" 26) }}
{{- end }}

{{- define "clustache.valkey.fullname" -}}
{{- include "clustache.dependencyFullname" (dict "context" . "chart" "valkey" "max" 63) }}
{{- end }}

{{/*
A REDIS_URL: the given url when set, else the bundled Valkey's Service; fails naming the value
to set when there is neither. Call with (dict "context" $ "url" <value> "key" "<value's path>").
*/}}
{{- define "clustache.redisUrl" -}}
{{- if .url }}
{{- .url }}
{{- else if .context.Values.redis.enabled }}
{{- $port := (index .context.Values "valkey" "service" "port") | default 6379 }}
{{- printf "redis://%s.%s.svc:%v" (include "clustache.valkey.fullname" .context) .context.Release.Namespace $port }}
{{- else }}
{{- fail (printf "%s is required when redis.enabled is false: point it at your Redis, e.g. redis://my-redis:6379" .key) }}
{{- end }}
{{- end }}

{{/* The API's REDIS_URL: api.redisUrl when set, else the bundled Valkey's Service. */}}
{{- define "clustache.api.redisUrl" -}}
{{- include "clustache.redisUrl" (dict "context" . "url" .Values.api.redisUrl "key" "api.redisUrl") }}
{{- end }}

{{/* The URL k6 pushes its metrics to: loadtest.remoteWrite.url, else the bundled Prometheus. */}}
{{- define "clustache.loadtest.remoteWriteUrl" -}}
{{- if .Values.loadtest.remoteWrite.url }}
{{- .Values.loadtest.remoteWrite.url }}
{{- else if .Values.kubePrometheusStack.enabled }}
{{- $prometheus := index .Values "kube-prometheus-stack" "prometheus" | default dict }}
{{- $port := ($prometheus.service | default dict).port | default 9090 }}
{{- printf "http://%s-prometheus.%s.svc:%v/api/v1/write" (include "clustache.kubePrometheusStack.fullname" .) .Release.Namespace $port }}
{{- else }}
{{- fail "loadtest.remoteWrite.url is required when kubePrometheusStack.enabled is false (or set loadtest.remoteWrite.enabled=false)" }}
{{- end }}
{{- end }}

{{/* The loadtest's test id tag: loadtest.testId, else "<release>-r<revision>". */}}
{{- define "clustache.loadtest.testId" -}}
{{- default (printf "%s-r%d" .Release.Name (int .Release.Revision)) .Values.loadtest.testId }}
{{- end }}

{{/* The k6 Job's name: per release revision (a Job's pod template cannot change), or per run. */}}
{{- define "clustache.loadtest.jobName" -}}
{{- if .Values.loadtest.runName }}
{{- printf "%s-%s" (include "clustache.loadtest.fullname" .) .Values.loadtest.runName | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-r%d" (include "clustache.loadtest.fullname" .) (int .Release.Revision) }}
{{- end }}
{{- end }}
