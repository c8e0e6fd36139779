{{/* One service's Deployment. Called with (dict "root" $ "component" "<name>"). */}}
{{- define "lgsp.deployment" -}}
{{- $root := .root -}}
{{- $c := get $root.Values .component -}}
{{- $spec := include "lgsp.spec" . | fromYaml -}}
{{- $db := include "lgsp.db" $root | fromYaml -}}
{{- $uid := include "lgsp.uid" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "lgsp.metadata" . | nindent 2 }}
spec:
  {{- if not $c.autoscaling.enabled }}
  replicas: {{ $c.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "lgsp.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # Never below the current capacity during a rollout: new pods first, then old ones go.
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "lgsp.labels" . | nindent 8 }}
        {{- with $c.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # A changed ConfigMap rolls the pods, so what runs is what the values say.
        checksum/config: {{ include "lgsp.configmap" . | sha256sum }}
        {{- with $c.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "lgsp.componentName" . }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
      {{- with $c.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with $root.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      securityContext:
        {{- include "lgsp.podSecurityContext" (dict "uid" $uid) | nindent 8 }}
      {{- if eq $root.Values.migrations.mode "initContainer" }}
      initContainers:
        # Migrates this service's schema and exits; Flyway's advisory lock lets one pod migrate at a time,
        # the others find the schema current.
        - name: migrate
          image: {{ include "lgsp.componentImage" . }}
          imagePullPolicy: {{ $c.image.pullPolicy }}
          envFrom:
            - configMapRef:
                name: {{ include "lgsp.componentName" . }}
          env:
            {{- include "lgsp.dbSecretEnv" . | nindent 12 }}
            - name: QUARKUS_INIT_AND_EXIT
              value: "true"
            - name: QUARKUS_FLYWAY_MIGRATE_AT_START
              value: "true"
          resources:
            {{- toYaml $root.Values.migrations.resources | nindent 12 }}
          securityContext:
            {{- include "lgsp.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            {{- include "lgsp.volumeMounts" (dict "root" .root "component" .component "migration" true) | nindent 12 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "lgsp.componentImage" . }}
          imagePullPolicy: {{ $c.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $spec.port }}
              protocol: TCP
            {{- with $spec.gatewayPort }}
            - name: gateway
              containerPort: {{ . }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "lgsp.componentName" . }}
          env:
            {{- include "lgsp.dbSecretEnv" . | nindent 12 }}
            {{- include "lgsp.secretEnv" . | trim | nindent 12 }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: http
            periodSeconds: {{ $c.probes.startup.periodSeconds }}
            failureThreshold: {{ $c.probes.startup.failureThreshold }}
            timeoutSeconds: 3
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: {{ $c.probes.liveness.periodSeconds }}
            timeoutSeconds: {{ $c.probes.liveness.timeoutSeconds }}
            failureThreshold: {{ $c.probes.liveness.failureThreshold }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: {{ $c.probes.readiness.periodSeconds }}
            timeoutSeconds: {{ $c.probes.readiness.timeoutSeconds }}
            failureThreshold: {{ $c.probes.readiness.failureThreshold }}
          lifecycle:
            preStop:
              # Leave the Service's endpoints before the JVM stops accepting connections.
              sleep:
                seconds: 5
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          securityContext:
            {{- include "lgsp.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            {{- include "lgsp.volumeMounts" . | nindent 12 }}
      volumes:
        {{- include "lgsp.volumes" . | nindent 8 }}
      {{- if $c.topologySpread.enabled }}
      topologySpreadConstraints:
        {{- range $key := list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
        - topologyKey: {{ $key }}
          maxSkew: {{ $c.topologySpread.maxSkew }}
          whenUnsatisfiable: {{ $c.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "lgsp.selectorLabels" $ | nindent 14 }}
          matchLabelKeys:
            - pod-template-hash
        {{- end }}
      {{- end }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* The only writable places are /tmp and the audit spool (emptyDirs); the database CA is mounted read-only when
verified. The migration runs in init-and-exit mode, which publishes no audit event: no spool there. */}}
{{- define "lgsp.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if and (get .root.Values .component).auditSpool.enabled (not .migration) }}
- name: audit-spool
  mountPath: {{ include "lgsp.auditSpoolPath" . }}
{{- end }}
{{- if and (eq .component "routing") .root.Values.secrets.upstreamCredentials.existingSecret (not .migration) }}
- name: upstream-secrets
  mountPath: /etc/lgsp/upstream-secrets
  readOnly: true
{{- end }}
{{- if and (eq .component "routing") .root.Values.secrets.upstreamTls.existingSecret (not .migration) }}
- name: upstream-tls
  mountPath: /etc/lgsp/upstream-tls
  readOnly: true
{{- end }}
{{- $db := include "lgsp.db" .root | fromYaml }}
{{- if hasPrefix "verify" $db.sslmode }}
- name: db-ca
  mountPath: /etc/lgsp/db-ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "lgsp.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- $spool := (get .root.Values .component).auditSpool }}
{{- if and $spool.enabled (not .migration) }}
# Survives container restarts, not pod deletion: graceful shutdown delivers what it can first.
- name: audit-spool
  emptyDir:
    sizeLimit: {{ $spool.sizeLimit }}
{{- end }}
{{- if and (eq .component "routing") .root.Values.secrets.upstreamCredentials.existingSecret (not .migration) }}
- name: upstream-secrets
  secret:
    secretName: {{ .root.Values.secrets.upstreamCredentials.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- with .root.Values.secrets.upstreamTls }}
{{- if and (eq $.component "routing") .existingSecret (not $.migration) }}
# Only the keys routing reads; a renewed Secret reaches the files (not subPath-mounted) and is re-read.
- name: upstream-tls
  secret:
    secretName: {{ .existingSecret }}
    defaultMode: 0440
    items:
      - key: ca.crt
        path: ca.crt
      {{- if .clientCertificate }}
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
      {{- end }}
{{- end }}
{{- end }}
{{- $db := include "lgsp.db" .root | fromYaml }}
{{- if hasPrefix "verify" $db.sslmode }}
- name: db-ca
  secret:
    secretName: {{ $db.caSecret }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end -}}

{{/* The secrets one service reads, and nothing more (least privilege per container). */}}
{{- define "lgsp.secretEnv" -}}
{{- $root := .root -}}
{{- $spec := include "lgsp.spec" . | fromYaml -}}
{{- if $spec.clientSecret }}
- name: LGSP_PLATFORM_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "lgsp.serviceClientsSecretName" $root }}
      key: {{ .component }}
{{- end }}
{{- if eq .component "auth" }}
- name: LGSP_AUTH_MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "lgsp.authSecretName" $root }}
      key: master-key
- name: LGSP_AUTH_BOOTSTRAP_OPERATOR_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "lgsp.authSecretName" $root }}
      key: operator-password
{{- $all := include "lgsp.components" $root | fromYaml }}
{{- range $name := (include "lgsp.componentNames" $root | fromYamlArray) }}
{{- if (get $all $name).clientSecret }}
- name: LGSP_AUTH_SERVICE_CLIENTS_{{ upper $name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "lgsp.serviceClientsSecretName" $root }}
      key: {{ $name }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq .component "routing" }}
- name: LGSP_ROUTING_ASSERTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.secrets.routingAssertionKey.existingSecret }}
      key: private-key.pem
{{- end }}
{{- if eq .component "audit" }}
- name: LGSP_AUDIT_ANCHOR_PRIVATE_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.secrets.auditAnchorKey.existingSecret }}
      key: private-key.pem
- name: LGSP_AUDIT_ANCHOR_PUBLIC_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.secrets.auditAnchorKey.existingSecret }}
      key: public-key.pem
{{- end }}
{{- end -}}
