{{/*
NetworkPolicies. Each service is reachable only from the services that call it, from the ingress controller when
it has an Ingress, and from Prometheus when scraped; it reaches only DNS, PostgreSQL, the services it calls, the
OTLP collector and the external targets named in its values (providers for routing, webhooks for catalog/audit).
*/}}

{{- define "lgsp.networkpolicy" -}}
{{- $root := .root -}}
{{- if $root.Values.networkPolicy.enabled -}}
{{- $c := get $root.Values .component -}}
{{- $np := $root.Values.networkPolicy -}}
{{- $all := include "lgsp.components" $root | fromYaml -}}
{{- $spec := get $all .component -}}
{{- $callers := include "lgsp.callers" . | fromYamlArray -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "lgsp.metadata" . | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "lgsp.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    {{- if $callers }}
    # The platform services that call this one.
    - from:
        {{- range $caller := $callers }}
        - podSelector:
            matchLabels:
              {{- include "lgsp.selectorLabels" (dict "root" $root "component" $caller) | nindent 14 }}
        {{- end }}
      ports:
        - port: {{ $spec.port }}
          protocol: TCP
    {{- end }}
    {{- if $c.ingress.enabled }}
    # Its Ingress, through the ingress controller (routing: the data plane, and the Quarkus port for adminPaths).
    - from:
        - namespaceSelector:
            {{- toYaml $np.ingressController.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.ingressController.podSelector | nindent 12 }}
      ports:
        {{- if or (not $spec.gatewayPort) $spec.adminPaths }}
        - port: {{ $spec.port }}
          protocol: TCP
        {{- end }}
        {{- with $spec.gatewayPort }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- if and (eq .component "routing") $root.Values.tests.enabled (include "lgsp.isHelm" $root) }}
    # The helm test pod checking routing's readiness and that its data plane listens.
    - from:
        - podSelector:
            matchLabels:
              {{- include "lgsp.selectorLabels" (dict "root" $root "component" "test") | nindent 14 }}
      ports:
        - port: {{ $spec.port }}
          protocol: TCP
        - port: {{ $spec.gatewayPort }}
          protocol: TCP
    {{- end }}
    {{- if $root.Values.metrics.serviceMonitor.enabled }}
    # Prometheus scraping /q/metrics.
    - from:
        - namespaceSelector:
            {{- toYaml $np.metrics.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.metrics.podSelector | nindent 12 }}
      ports:
        - port: {{ $spec.port }}
          protocol: TCP
    {{- end }}
    {{- with $c.networkPolicy.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  egress:
    {{- include "lgsp.egressDnsAndDatabase" $root | nindent 4 }}
    {{- range $callee := $spec.calls }}
    # {{ $callee }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "lgsp.selectorLabels" (dict "root" $root "component" $callee) | nindent 14 }}
      ports:
        - port: {{ (get $all $callee).port }}
          protocol: TCP
    {{- end }}
    {{- if $root.Values.otel.enabled }}
    # The OTLP collector.
    - {{- with $root.Values.otel.egressTo }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - port: {{ include "lgsp.otelPort" $root }}
          protocol: TCP
    {{- end }}
    {{- $ext := $c.networkPolicy.externalEgress }}
    {{- if and $ext.ipBlocks $ext.ports }}
    # External systems this service calls.
    - to:
        {{- range $block := $ext.ipBlocks }}
        - ipBlock:
            {{- toYaml $block | nindent 12 }}
        {{- end }}
      ports:
        {{- range $port := $ext.ports }}
        - port: {{ $port }}
          protocol: TCP
        {{- end }}
    {{- end }}
{{- end -}}
{{- end -}}

{{/* DNS and PostgreSQL: what every pod touching the database needs. */}}
{{- define "lgsp.egressDnsAndDatabase" -}}
{{- $np := .Values.networkPolicy -}}
{{- $db := include "lgsp.db" . | fromYaml -}}
# Cluster DNS.
- to:
    - namespaceSelector:
        {{- toYaml $np.dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml $np.dns.podSelector | nindent 8 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
# PostgreSQL.
{{- if .Values.postgresql.cloudnativepg.enabled }}
- to:
    - podSelector:
        matchLabels:
          cnpg.io/cluster: {{ $db.cluster }}
  ports:
    - port: 5432
      protocol: TCP
{{- else }}
{{- $cidrs := .Values.postgresql.external.egressCIDRs }}
{{- if and (not $cidrs) (regexMatch "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$" $db.host) }}
{{- $cidrs = list (printf "%s/32" $db.host) }}
{{- end }}
- {{- if $cidrs }}
  to:
    {{- range $cidr := $cidrs }}
    - ipBlock:
        cidr: {{ $cidr }}
    {{- end }}
  {{- end }}
  ports:
    - port: {{ $db.port }}
      protocol: TCP
{{- end }}
{{- end -}}

{{/* The migration Jobs: no ingress, egress to DNS and PostgreSQL only. A hook, so it exists before them. */}}
{{- define "lgsp.migrationNetworkPolicy" -}}
{{- if and .Values.networkPolicy.enabled (eq .Values.migrations.mode "job") -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "lgsp.fullname" . }}-migrate
  {{- with include "lgsp.namespace" . }}{{ . | nindent 2 }}{{ end }}
  labels:
    {{- include "lgsp.labels" (dict "root" . "component" "migration") | nindent 4 }}
  {{- include "lgsp.hook" (dict "root" . "hook" "pre-install,pre-upgrade" "weight" -10) | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "lgsp.selectorLabels" (dict "root" . "component" "migration") | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress: []
  egress:
    {{- include "lgsp.egressDnsAndDatabase" . | nindent 4 }}
{{- end -}}
{{- end -}}
