{{/*
The pod spec of the chart's services, the API and both RTB roles: one container serving HTTP
on <values>.containerPort with /health and /ready probes, REDIS_URL and the Redis password,
the pod's name as INSTANCE_ID, a read-only root with a scratch /tmp, and, unless <values>.affinity
says otherwise, a preference for one pod per node. Call with a dict:
  context    the root context ($)
  values     the component's values (.Values.api, .Values.rtb): imagePullSecrets,
             podSecurityContext, terminationGracePeriodSeconds, image.pullPolicy, containerPort,
             probes, securityContext, extraEnv, nodeSelector, tolerations, affinity,
             topologySpreadConstraints
  labels     the component's label arguments, (dict "context" $ "component" "api")
  container  the container's name
  image      the image reference
  redisUrl   the REDIS_URL
  firstEnv   env entries before PORT (YAML list; optional)
  env        the component's own env entries, after INSTANCE_ID (YAML list)
  resources  the container's resources
*/}}
{{- define "clustache.podSpec" -}}
{{- $values := .values }}
{{- with $values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml $values.podSecurityContext | nindent 2 }}
terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
containers:
  - name: {{ .container }}
    image: {{ .image | quote }}
    imagePullPolicy: {{ $values.image.pullPolicy }}
    ports:
      - name: http
        containerPort: {{ $values.containerPort }}
        protocol: TCP
    env:
      {{- with .firstEnv }}
      {{- . | trim | nindent 6 }}
      {{- end }}
      - name: PORT
        value: {{ $values.containerPort | quote }}
      - name: REDIS_URL
        value: {{ .redisUrl | quote }}
      {{- include "clustache.redis.passwordEnv" .context | nindent 6 }}
      - name: INSTANCE_ID
        valueFrom:
          fieldRef:
            fieldPath: metadata.name
      {{- .env | trim | nindent 6 }}
      {{- with $values.extraEnv }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    startupProbe:
      httpGet:
        path: /health
        port: http
      periodSeconds: {{ $values.probes.startup.periodSeconds }}
      failureThreshold: {{ $values.probes.startup.failureThreshold }}
    readinessProbe:
      httpGet:
        path: /ready
        port: http
      periodSeconds: {{ $values.probes.readiness.periodSeconds }}
      timeoutSeconds: {{ $values.probes.readiness.timeoutSeconds }}
      failureThreshold: {{ $values.probes.readiness.failureThreshold }}
    livenessProbe:
      httpGet:
        path: /health
        port: http
      periodSeconds: {{ $values.probes.liveness.periodSeconds }}
      timeoutSeconds: {{ $values.probes.liveness.timeoutSeconds }}
      failureThreshold: {{ $values.probes.liveness.failureThreshold }}
    resources:
      {{- toYaml .resources | nindent 6 }}
    securityContext:
      {{- toYaml $values.securityContext | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
volumes:
  # The root filesystem is read-only; Node may still want a scratch directory.
  - name: tmp
    emptyDir:
      sizeLimit: 64Mi
{{- with $values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
affinity:
  {{- if $values.affinity }}
  {{- toYaml $values.affinity | nindent 2 }}
  {{- else }}
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "clustache.selectorLabels" .labels | nindent 14 }}
  {{- end }}
{{- with $values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
