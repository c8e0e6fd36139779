{{/*
The other per-service objects. Each is called with (dict "root" $ "component" "<name>") from the service's
own folder (templates/<service>/), so the five folders hold the same files and differ only in their values.
*/}}

{{- define "lgsp.configmap" -}}
{{- $root := .root -}}
{{- $c := get $root.Values .component -}}
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "lgsp.metadata" . | nindent 2 }}
data:
  {{- include "lgsp.dbConfig" $root | nindent 2 }}
  {{- range $peer := list "registry" "auth" "catalog" "audit" }}
  LGSP_PLATFORM_{{ upper $peer }}_URL: {{ include "lgsp.serviceUrl" (dict "root" $root "component" $peer) | quote }}
  {{- end }}
  LGSP_PLATFORM_CLIENT_ID: {{ .component | quote }}
  LGSP_JWT_ISSUER: {{ include "lgsp.jwtIssuer" $root | quote }}
  LGSP_OTEL_EXPORTER: {{ ternary "otlp" "none" $root.Values.otel.enabled | quote }}
  {{- if $root.Values.otel.enabled }}
  LGSP_OTEL_ENDPOINT: {{ $root.Values.otel.endpoint | quote }}
  {{- end }}
  # Migrations ran before this pod (hook Job or init container); the pod only checks the schema is current.
  QUARKUS_FLYWAY_MIGRATE_AT_START: "false"
  QUARKUS_FLYWAY_VALIDATE_AT_START: "true"
  {{- if $root.Values.global.forwardedHeaders.enabled }}
  QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING: "true"
  QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED: "true"
  QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST: "true"
  QUARKUS_HTTP_PROXY_TRUSTED_PROXIES: {{ $root.Values.global.forwardedHeaders.trustedProxies | quote }}
  {{- end }}
  {{- if eq .component "audit" }}
  LGSP_AUDIT_ANCHOR_REQUIRE_KEY: "true"
  {{- end }}
  {{- if eq .component "auth" }}
  {{- /* Single sign-on providers (singleSignOn.identityProviders): lgsp.auth.identity-providers.<name>.* */}}
  {{- range $name, $p := $root.Values.singleSignOn.identityProviders }}
  {{- $prefix := printf "LGSP_AUTH_IDENTITY_PROVIDERS_%s_" (upper $name) }}
  {{ $prefix }}ISSUER: {{ $p.issuer | quote }}
  {{ $prefix }}AUDIENCE: {{ $p.audience | quote }}
  {{- range $key, $env := dict "jwksUri" "JWKS_URI" "subjectClaim" "SUBJECT_CLAIM" "maxTokenAge" "MAX_TOKEN_AGE" "keysRefreshMinInterval" "KEYS_REFRESH_MIN_INTERVAL" "timeout" "TIMEOUT" }}
  {{- if hasKey $p $key }}
  {{ $prefix }}{{ $env }}: {{ get $p $key | quote }}
  {{- end }}
  {{- end }}
  {{- end }}
  {{- end }}
  # Audit records wait on local disk (<service>.auditSpool, the emptyDir mounted there) or, with "", in memory only.
  LGSP_PLATFORM_AUDIT_SPOOL_DIR: {{ ternary (include "lgsp.auditSpoolPath" .) "" $c.auditSpool.enabled | quote }}
  {{- if $c.auditSpool.enabled }}
  LGSP_PLATFORM_AUDIT_SPOOL_MAX_BYTES: {{ $c.auditSpool.maxBytes | int64 | quote }}
  # On SIGTERM, deliver the spool for the grace period less the preStop pause, a margin to stop and (routing) the
  # data plane's wait for calls in flight, which comes first so their records are delivered too.
  {{- $dataPlaneGrace := ternary 5 0 (hasKey (include "lgsp.spec" . | fromYaml) "gatewayPort") }}
  LGSP_PLATFORM_AUDIT_DRAIN_TIMEOUT: {{ printf "%ds" (max 1 (sub (int $c.terminationGracePeriodSeconds) (add 10 $dataPlaneGrace))) | quote }}
  {{- end }}
  {{- if hasKey (include "lgsp.spec" . | fromYaml) "gatewayPort" }}
  # On SIGTERM the data plane answers with Connection: close and waits this long for calls in flight.
  LGSP_ROUTING_DATA_PLANE_SHUTDOWN_GRACE: "5s"
  {{- end }}
  {{- with $root.Values.secrets.upstreamTls }}
  {{- if and (eq $.component "routing") .existingSecret }}
  # TLS towards https providers: Quarkus' TLS registry configuration "upstream" (a double underscore quotes the
  # configuration's name, and the key pair's, in these variable names), files from secrets.upstreamTls.
  LGSP_ROUTING_UPSTREAM_TLS_CONFIGURATION_NAME: "upstream"
  QUARKUS_TLS__UPSTREAM__TRUST_STORE_PEM_CERTS: "/etc/lgsp/upstream-tls/ca.crt"
  QUARKUS_TLS__UPSTREAM__RELOAD_PERIOD: {{ .reloadPeriod | quote }}
  {{- if .clientCertificate }}
  QUARKUS_TLS__UPSTREAM__KEY_STORE_PEM__0__CERT: "/etc/lgsp/upstream-tls/tls.crt"
  QUARKUS_TLS__UPSTREAM__KEY_STORE_PEM__0__KEY: "/etc/lgsp/upstream-tls/tls.key"
  {{- end }}
  {{- end }}
  {{- end }}
  {{- if eq $c.image.flavour "jvm" }}
  JAVA_OPTS: {{ include "lgsp.javaOpts" . | quote }}
  {{- end }}
  {{- range $k, $val := $c.config }}
  {{ $k }}: {{ $val | toString | quote }}
  {{- end }}
{{- end -}}

{{- define "lgsp.service" -}}
{{- $c := get .root.Values .component -}}
{{- $spec := include "lgsp.spec" . | fromYaml -}}
apiVersion: v1
kind: Service
metadata:
  {{- include "lgsp.metadata" . | nindent 2 }}
  {{- with $c.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $c.service.type }}
  selector:
    {{- include "lgsp.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $spec.port }}
      targetPort: http
      protocol: TCP
    {{- with $spec.gatewayPort }}
    - name: gateway
      port: {{ . }}
      targetPort: gateway
      protocol: TCP
    {{- end }}
{{- end -}}

{{- define "lgsp.serviceaccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "lgsp.metadata" . | nindent 2 }}
# The services never call the Kubernetes API.
automountServiceAccountToken: false
{{- end -}}

{{- define "lgsp.hpa" -}}
{{- $c := get .root.Values .component -}}
{{- if $c.autoscaling.enabled -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "lgsp.metadata" . | nindent 2 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "lgsp.componentName" . }}
  minReplicas: {{ $c.autoscaling.minReplicas }}
  maxReplicas: {{ $c.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $c.autoscaling.targetCPUUtilizationPercentage }}
  behavior:
    scaleUp:
      # Load on a gateway arrives fast: double within a minute if needed.
      stabilizationWindowSeconds: 0
      policies:
        - type: Percent
          value: 100
          periodSeconds: 60
    scaleDown:
      stabilizationWindowSeconds: {{ $c.autoscaling.scaleDownStabilizationSeconds }}
      policies:
        - type: Pods
          value: 1
          periodSeconds: 60
{{- end -}}
{{- end -}}

{{- define "lgsp.pdb" -}}
{{- $c := get .root.Values .component -}}
{{- if $c.podDisruptionBudget.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "lgsp.metadata" . | nindent 2 }}
spec:
  {{- if not (eq (toString $c.podDisruptionBudget.maxUnavailable) "") }}
  maxUnavailable: {{ $c.podDisruptionBudget.maxUnavailable }}
  {{- else }}
  minAvailable: {{ $c.podDisruptionBudget.minAvailable }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "lgsp.selectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}

{{- define "lgsp.ingress" -}}
{{- $root := .root -}}
{{- $c := get $root.Values .component -}}
{{- $spec := include "lgsp.spec" . | fromYaml -}}
{{- if $c.ingress.enabled -}}
{{- $name := include "lgsp.componentName" . -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  {{- include "lgsp.metadata" . | nindent 2 }}
  {{- $annotations := merge (deepCopy $c.ingress.annotations) $root.Values.ingress.annotations }}
  {{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  ingressClassName: {{ $root.Values.ingress.className }}
  {{- if $root.Values.ingress.tls }}
  tls:
    - secretName: {{ $c.ingress.tlsSecretName }}
      hosts:
        {{- toYaml $c.ingress.hosts | nindent 8 }}
  {{- end }}
  rules:
    {{- range $host := $c.ingress.hosts }}
    - host: {{ $host }}
      http:
        paths:
          {{- range $path := $spec.adminPaths }}
          - path: {{ $path }}
            pathType: Exact
            backend:
              service:
                name: {{ $name }}
                port:
                  name: http
          {{- end }}
          {{- range $path := $spec.adminPrefixes }}
          - path: {{ $path }}
            pathType: Prefix
            backend:
              service:
                name: {{ $name }}
                port:
                  name: http
          {{- end }}
          {{- range $path := $c.ingress.paths }}
          - path: {{ $path }}
            pathType: Prefix
            backend:
              service:
                name: {{ $name }}
                port:
                  name: {{ ternary "gateway" "http" (hasKey $spec "gatewayPort") }}
          {{- end }}
    {{- end }}
{{- end -}}
{{- end -}}

{{- define "lgsp.servicemonitor" -}}
{{- $root := .root -}}
{{- if $root.Values.metrics.serviceMonitor.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "lgsp.componentName" . }}
  {{- with include "lgsp.namespace" $root }}{{ . | nindent 2 }}{{ end }}
  labels:
    {{- include "lgsp.labels" . | nindent 4 }}
    {{- with $root.Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "lgsp.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /q/metrics
      interval: {{ $root.Values.metrics.serviceMonitor.interval }}
      scheme: http
{{- end -}}
{{- end -}}

{{/* The once-per-release migration: the service's own image in init-and-exit mode (Flyway migrates, the
process exits 0), run by Helm before install and before every upgrade; the release stops if it fails. It
needs only the database, so it is self-contained (the release's ConfigMaps do not exist yet at pre-install). */}}
{{- define "lgsp.migrationJob" -}}
{{- $root := .root -}}
{{- $c := get $root.Values .component -}}
{{- if eq $root.Values.migrations.mode "job" -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "lgsp.componentName" . }}-migrate
  {{- with include "lgsp.namespace" $root }}{{ . | nindent 2 }}{{ end }}
  labels:
    {{- include "lgsp.migrationLabels" . | nindent 4 }}
  {{- include "lgsp.hook" (dict "root" $root "hook" "pre-install,pre-upgrade" "weight" 0) | nindent 2 }}
spec:
  backoffLimit: {{ $root.Values.migrations.backoffLimit }}
  activeDeadlineSeconds: {{ $root.Values.migrations.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "lgsp.migrationLabels" . | nindent 8 }}
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "lgsp.fullname" $root }}-migrate
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $root.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      securityContext:
        {{- include "lgsp.podSecurityContext" (dict "uid" (include "lgsp.uid" .)) | nindent 8 }}
      containers:
        - name: migrate
          image: {{ include "lgsp.componentImage" . }}
          imagePullPolicy: {{ $c.image.pullPolicy }}
          env:
            {{- range $k, $val := (include "lgsp.dbConfig" $root | fromYaml) }}
            - name: {{ $k }}
              value: {{ $val | toString | quote }}
            {{- end }}
            {{- include "lgsp.dbSecretEnv" . | nindent 12 }}
            - name: QUARKUS_INIT_AND_EXIT
              value: "true"
            - name: QUARKUS_FLYWAY_MIGRATE_AT_START
              value: "true"
            {{- if eq $c.image.flavour "jvm" }}
            - name: JAVA_OPTS
              value: {{ include "lgsp.javaOpts" . | quote }}
            {{- end }}
          resources:
            {{- toYaml $root.Values.migrations.resources | nindent 12 }}
          securityContext:
            {{- include "lgsp.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            {{- include "lgsp.volumeMounts" (dict "root" .root "component" .component "migration" true) | nindent 12 }}
      volumes:
        {{- include "lgsp.volumes" (dict "root" .root "component" .component "migration" true) | nindent 8 }}
{{- end -}}
{{- end -}}

{{- define "lgsp.migrationLabels" -}}
{{- include "lgsp.labels" (dict "root" .root "component" "migration") }}
lgsp.vn/migrates: {{ .component }}
{{- end -}}
