{{/*
Names, labels and the facts every component template shares. A component template is called with
(dict "root" $ "component" "<name>") and reads its values from .Values.<name>.
*/}}

{{- define "lgsp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lgsp.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<component>: the name of every object of one component (Service name = DNS name). */}}
{{- define "lgsp.componentName" -}}
{{- printf "%s-%s" (include "lgsp.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The five services: port (Quarkus: admin API, health, metrics), routing's gatewayPort (its data plane, the
one agency systems reach through the Ingress; adminPaths (exact) and adminPrefixes are the Quarkus-port paths the
Ingress also exposes: the assertion keys and the asynchronous exchange API), whom each calls (docs/internal-apis.md), and whether it holds a client secret at
auth (auth mints its own service token in process). Every service calls auth for its JWKS
(mp.jwt.verify.publickey.location), auth included, and all but auth and routing for its revocation feed, with their
service token (routing's snapshot loader reads that feed too). */}}
{{- define "lgsp.components" -}}
routing:
  port: 8080
  gatewayPort: 8000
  adminPaths: [/.well-known/jwks.json]
  adminPrefixes: [/api/v1/exchanges]
  calls: [auth, catalog, audit]
  clientSecret: true
registry:
  port: 8081
  calls: [auth, catalog, audit]
  clientSecret: true
auth:
  port: 8082
  calls: [auth, catalog, audit]
  clientSecret: false
catalog:
  port: 8083
  calls: [registry, auth, audit]
  clientSecret: true
audit:
  port: 8084
  calls: [auth]
  clientSecret: true
{{- end -}}

{{- define "lgsp.componentNames" -}}
[routing, registry, auth, catalog, audit]
{{- end -}}

{{- define "lgsp.spec" -}}
{{- toYaml (get (include "lgsp.components" . | fromYaml) .component) -}}
{{- end -}}

{{/* Services that call this component, in the fixed order. */}}
{{- define "lgsp.callers" -}}
{{- $all := include "lgsp.components" . | fromYaml -}}
{{- $callers := list -}}
{{- range $name := (include "lgsp.componentNames" . | fromYamlArray) -}}
{{- if has $.component (get (get $all $name) "calls") -}}
{{- $callers = append $callers $name -}}
{{- end -}}
{{- end -}}
{{- toYaml $callers -}}
{{- end -}}

{{/* metadata.namespace for Helm output; plain manifests leave it to the kustomize overlay. */}}
{{- define "lgsp.namespace" -}}
{{- if include "lgsp.isHelm" . -}}
namespace: {{ .Release.Namespace }}
{{- end -}}
{{- end -}}

{{- define "lgsp.isHelm" -}}
{{- if eq .Values.global.output "helm" -}}true{{- end -}}
{{- end -}}

{{- define "lgsp.labels" -}}
{{- if include "lgsp.isHelm" .root -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{ end -}}
app.kubernetes.io/part-of: lgsp
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "lgsp.selectorLabels" . }}
{{- end -}}

{{- define "lgsp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lgsp.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "lgsp.metadata" -}}
name: {{ include "lgsp.componentName" . }}
{{- with include "lgsp.namespace" .root }}
{{ . }}
{{- end }}
labels:
  {{- include "lgsp.labels" . | nindent 2 }}
{{- end -}}

{{- define "lgsp.image" -}}
{{- $img := .image -}}
{{- $repo := $img.repository -}}
{{- if .registry -}}{{- $repo = printf "%s/%s" .registry $repo -}}{{- end -}}
{{- if and $img.tag $img.digest -}}
{{- printf "%s:%s@%s" $repo $img.tag $img.digest -}}
{{- else if $img.digest -}}
{{- printf "%s@%s" $repo $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo $img.tag -}}
{{- end -}}
{{- end -}}

{{- define "lgsp.componentImage" -}}
{{- include "lgsp.image" (dict "image" (get .root.Values .component).image "registry" .root.Values.global.imageRegistry) -}}
{{- end -}}

{{- define "lgsp.serviceUrl" -}}
{{- $spec := get (include "lgsp.components" .root | fromYaml) .component -}}
{{- printf "http://%s:%v" (include "lgsp.componentName" .) $spec.port -}}
{{- end -}}

{{- define "lgsp.jwtIssuer" -}}
{{- default (include "lgsp.serviceUrl" (dict "root" . "component" "auth")) .Values.global.jwtIssuer -}}
{{- end -}}

{{/* PostgreSQL as the services see it: host, port, database, TLS mode, CA Secret, credentials Secret. */}}
{{- define "lgsp.db" -}}
{{- $pg := .Values.postgresql -}}
{{- if $pg.cloudnativepg.enabled -}}
{{- $cluster := printf "%s-pg" (include "lgsp.fullname" .) -}}
host: {{ printf "%s-rw" $cluster }}
port: 5432
database: lgsp
sslmode: {{ $pg.cloudnativepg.sslmode }}
caSecret: {{ printf "%s-ca" $cluster }}
existingSecret: {{ printf "%s-app" $cluster }}
usernameKey: username
passwordKey: password
cluster: {{ $cluster }}
{{- else -}}
host: {{ $pg.external.host | quote }}
port: {{ $pg.external.port }}
database: {{ $pg.external.database | quote }}
sslmode: {{ $pg.external.sslmode }}
caSecret: {{ $pg.external.caSecret | quote }}
existingSecret: {{ $pg.external.existingSecret | quote }}
usernameKey: {{ $pg.external.usernameKey | quote }}
passwordKey: {{ $pg.external.passwordKey | quote }}
{{- end -}}
{{- end -}}

{{/* Non-secret database settings (ConfigMap data and the migration Job's env). */}}
{{- define "lgsp.dbConfig" -}}
{{- $db := include "lgsp.db" . | fromYaml -}}
LGSP_DB_HOST: {{ $db.host | quote }}
LGSP_DB_PORT: {{ $db.port | quote }}
LGSP_DB_NAME: {{ $db.database | quote }}
QUARKUS_DATASOURCE_JDBC_ADDITIONAL_JDBC_PROPERTIES_SSLMODE: {{ $db.sslmode | quote }}
QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE: {{ $db.sslmode | quote }}
{{- if hasPrefix "verify" $db.sslmode }}
QUARKUS_DATASOURCE_JDBC_ADDITIONAL_JDBC_PROPERTIES_SSLROOTCERT: /etc/lgsp/db-ca/ca.crt
QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM: "true"
QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS: /etc/lgsp/db-ca/ca.crt
QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM: {{ ternary "HTTPS" "NONE" (eq $db.sslmode "verify-full") | quote }}
{{- end }}
{{- end -}}

{{/* The database Secret of one component: its own role if it has one, else the shared one. */}}
{{- define "lgsp.dbSecretEnv" -}}
{{- $db := include "lgsp.db" .root | fromYaml -}}
{{- $own := (get .root.Values .component).database.existingSecret -}}
- name: LGSP_DB_USER
  valueFrom:
    secretKeyRef:
      name: {{ default $db.existingSecret $own }}
      key: {{ $db.usernameKey }}
- name: LGSP_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ default $db.existingSecret $own }}
      key: {{ $db.passwordKey }}
{{- end -}}

{{- define "lgsp.authSecretName" -}}
{{- .Values.secrets.auth.existingSecret -}}
{{- end -}}

{{- define "lgsp.serviceClientsSecretName" -}}
{{- .Values.secrets.serviceClients.existingSecret -}}
{{- end -}}

{{/* JAVA_OPTS replaces run-java.sh's generated options entirely (its GC choice would clash with ours). */}}
{{- define "lgsp.javaOpts" -}}
{{- $v := get .root.Values .component -}}
{{- trim (printf "-XX:MaxRAMPercentage=%v -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager %s" $v.jvm.maxRAMPercentage $v.jvm.options) -}}
{{- end -}}

{{/* Pod- and container-level hardening shared by every pod the chart creates. */}}
{{- define "lgsp.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "lgsp.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The image's user: 185 (jboss) in the UBI OpenJDK image, 1001 in the Quarkus micro image. */}}
{{- define "lgsp.uid" -}}
{{- if eq (get .root.Values .component).image.flavour "native" -}}1001{{- else -}}185{{- end -}}
{{- end -}}

{{/* The Helm hook annotations, only when rendering for Helm. */}}
{{- define "lgsp.hook" -}}
{{- if include "lgsp.isHelm" .root -}}
annotations:
  helm.sh/hook: {{ .hook }}
  helm.sh/hook-weight: {{ .weight | quote }}
  helm.sh/hook-delete-policy: {{ default "before-hook-creation" .policy }}
{{- end }}
{{- end -}}

{{/* The port of the OTLP endpoint (for the NetworkPolicy), 4317 when the URL names none. */}}
{{- define "lgsp.otelPort" -}}
{{- $host := (urlParse .Values.otel.endpoint).host -}}
{{- if regexMatch ":[0-9]+$" $host -}}
{{- regexFind "[0-9]+$" $host -}}
{{- else if hasPrefix "https" .Values.otel.endpoint -}}443{{- else -}}4317{{- end -}}
{{- end -}}

{{/* Where a service spools its audit records (lgsp.platform.audit.spool.dir; routing's default, the images create it). */}}
{{- define "lgsp.auditSpoolPath" -}}
/var/lib/lgsp/audit-spool
{{- end -}}

{{/* A Kubernetes quantity (e.g. 2Gi, 1.5G, 500M) in bytes, as a float. */}}
{{- define "lgsp.quantityBytes" -}}
{{- $q := toString . -}}
{{- $num := regexFind "^[0-9]+(\\.[0-9]+)?" $q -}}
{{- $units := dict "" 1.0 "k" 1000.0 "Ki" 1024.0 "M" 1000000.0 "Mi" 1048576.0 "G" 1000000000.0 "Gi" 1073741824.0 "T" 1000000000000.0 "Ti" 1099511627776.0 -}}
{{- mulf (float64 $num) (get $units (trimPrefix $num $q)) -}}
{{- end -}}
