{{/*
The values check: combinations the schema cannot express. Every problem found is listed at once, each naming
the value to change, and rendering fails. Rendered first (templates/validate.yaml), so nothing half-made ships.
*/}}
{{- define "lgsp.validate" -}}
{{- $errors := list -}}
{{- $v := .Values -}}
{{- $isHelm := include "lgsp.isHelm" . -}}

{{- /* PostgreSQL: exactly one source, with credentials and what its TLS mode needs. */ -}}
{{- $pg := $v.postgresql -}}
{{- if and $pg.cloudnativepg.enabled $pg.external.host -}}
{{- $errors = append $errors "postgresql: set either postgresql.external.host or postgresql.cloudnativepg.enabled, not both" -}}
{{- else if and (not $pg.cloudnativepg.enabled) (not $pg.external.host) -}}
{{- $errors = append $errors "postgresql: set postgresql.external.host (an existing server) or postgresql.cloudnativepg.enabled=true (a CloudNativePG Cluster)" -}}
{{- end -}}
{{- if not $pg.cloudnativepg.enabled -}}
{{- if not $pg.external.existingSecret -}}
{{- $missing := list -}}
{{- range $name := (include "lgsp.componentNames" . | fromYamlArray) -}}
{{- if not (get $v $name).database.existingSecret -}}{{- $missing = append $missing $name -}}{{- end -}}
{{- end -}}
{{- if $missing -}}
{{- $errors = append $errors (printf "postgresql.external.existingSecret: name the Secret with the database user and password (or set <service>.database.existingSecret for %s)" (join ", " $missing)) -}}
{{- end -}}
{{- end -}}
{{- if and (hasPrefix "verify" $pg.external.sslmode) (not $pg.external.caSecret) -}}
{{- $errors = append $errors (printf "postgresql.external.sslmode=%s verifies the server certificate: set postgresql.external.caSecret to a Secret with ca.crt" $pg.external.sslmode) -}}
{{- end -}}
{{- end -}}
{{- if and $pg.cloudnativepg.enabled (eq $v.migrations.mode "job") -}}
{{- $errors = append $errors "migrations.mode=job runs before install, but postgresql.cloudnativepg.enabled creates the database during install: use migrations.mode=initContainer" -}}
{{- end -}}
{{- if and (not $isHelm) (eq $v.migrations.mode "job") -}}
{{- $errors = append $errors "global.output=plain has no Helm hooks: use migrations.mode=initContainer" -}}
{{- end -}}

{{- /* Secrets: always created by the operator and named here (the chart README shows how). */ -}}
{{- if not $v.secrets.auth.existingSecret -}}
{{- $errors = append $errors "secrets.auth.existingSecret: name the Secret with master-key and operator-password (see the chart README, Secrets)" -}}
{{- end -}}
{{- if not $v.secrets.serviceClients.existingSecret -}}
{{- $errors = append $errors "secrets.serviceClients.existingSecret: name the Secret with the client secrets of routing, registry, catalog and audit" -}}
{{- end -}}
{{- if not $v.secrets.routingAssertionKey.existingSecret -}}
{{- $errors = append $errors "secrets.routingAssertionKey.existingSecret: name the Secret with private-key.pem (RSA PKCS#8); without it every routing replica would sign with its own key" -}}
{{- end -}}
{{- if not $v.secrets.auditAnchorKey.existingSecret -}}
{{- $errors = append $errors "secrets.auditAnchorKey.existingSecret: name the Secret with private-key.pem and public-key.pem signing audit's daily anchors" -}}
{{- end -}}

{{- /* Observability and proxies. */ -}}
{{- if and $v.metrics.prometheusRule.enabled (not $v.metrics.serviceMonitor.enabled) -}}
{{- $errors = append $errors "metrics.prometheusRule.enabled: the alerts select the scrape jobs of the ServiceMonitors; set metrics.serviceMonitor.enabled too" -}}
{{- end -}}
{{- if and $v.otel.enabled (not $v.otel.endpoint) -}}
{{- $errors = append $errors "otel.enabled: set otel.endpoint to the OTLP collector (e.g. http://otel-collector.observability:4317)" -}}
{{- end -}}
{{- if and $v.global.forwardedHeaders.enabled (not $v.global.forwardedHeaders.trustedProxies) -}}
{{- $errors = append $errors "global.forwardedHeaders.enabled: set global.forwardedHeaders.trustedProxies, or any caller could forge its address" -}}
{{- end -}}

{{- /* Each service. */ -}}
{{- range $name := (include "lgsp.componentNames" . | fromYamlArray) -}}
{{- $c := get $v $name -}}
{{- if and (not $c.image.tag) (not $c.image.digest) -}}
{{- $errors = append $errors (printf "%s.image: set a tag or a digest (both are empty)" $name) -}}
{{- end -}}
{{- if and (eq $c.image.flavour "native") (trim $c.jvm.options) -}}
{{- $errors = append $errors (printf "%s.image.flavour=native runs no JVM: clear %s.jvm.options" $name $name) -}}
{{- end -}}
{{- if and $c.autoscaling.enabled (gt (int $c.autoscaling.minReplicas) (int $c.autoscaling.maxReplicas)) -}}
{{- $errors = append $errors (printf "%s.autoscaling: minReplicas (%v) is greater than maxReplicas (%v)" $name $c.autoscaling.minReplicas $c.autoscaling.maxReplicas) -}}
{{- end -}}
{{- $pdb := $c.podDisruptionBudget -}}
{{- if $pdb.enabled -}}
{{- $hasMax := not (eq (toString $pdb.maxUnavailable) "") -}}
{{- $hasMin := not (eq (toString $pdb.minAvailable) "") -}}
{{- if and $hasMax $hasMin -}}
{{- $errors = append $errors (printf "%s.podDisruptionBudget: set maxUnavailable or minAvailable, not both" $name) -}}
{{- else if not (or $hasMax $hasMin) -}}
{{- $errors = append $errors (printf "%s.podDisruptionBudget: set maxUnavailable or minAvailable" $name) -}}
{{- end -}}
{{- $fewest := ternary $c.autoscaling.minReplicas $c.replicas $c.autoscaling.enabled -}}
{{- if and $hasMin (not (kindIs "string" $pdb.minAvailable)) (ge (int $pdb.minAvailable) (int $fewest)) -}}
{{- $errors = append $errors (printf "%s.podDisruptionBudget.minAvailable (%v) must be below the fewest replicas (%v), or no node could ever be drained" $name $pdb.minAvailable $fewest) -}}
{{- end -}}
{{- end -}}
{{- if $c.ingress.enabled -}}
{{- if not $c.ingress.hosts -}}
{{- $errors = append $errors (printf "%s.ingress.enabled: list at least one host in %s.ingress.hosts" $name $name) -}}
{{- end -}}
{{- if and $v.ingress.tls (not $c.ingress.tlsSecretName) -}}
{{- $errors = append $errors (printf "%s.ingress: ingress.tls is on, so set %s.ingress.tlsSecretName (cert-manager can create it)" $name $name) -}}
{{- end -}}
{{- end -}}
{{- if $c.auditSpool.enabled -}}
{{- if eq $name "audit" -}}
{{- $errors = append $errors "audit.auditSpool.enabled: audit writes its own log and publishes no audit events; leave it false" -}}
{{- end -}}
{{- /* Records already accepted are still written past maxBytes (up to buffer-size of them): keep 64 MiB spare. */ -}}
{{- $limit := include "lgsp.quantityBytes" $c.auditSpool.sizeLimit | float64 -}}
{{- if gt (addf (float64 $c.auditSpool.maxBytes) 67108864.0) $limit -}}
{{- $errors = append $errors (printf "%s.auditSpool: maxBytes (%d) must stay at least 64 MiB below sizeLimit (%s), or the kubelet evicts the pod when the spool fills; raise sizeLimit or lower maxBytes" $name (int64 $c.auditSpool.maxBytes) $c.auditSpool.sizeLimit) -}}
{{- end -}}
{{- end -}}
{{- range $k, $_ := $c.config -}}
{{- if regexMatch "(PASSWORD|SECRET|PRIVATE_KEY|MASTER_KEY|CREDENTIAL)" $k -}}
{{- $errors = append $errors (printf "%s.config.%s looks like a secret: put it in a Secret, never in values" $name $k) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- if $errors -}}
{{- fail (printf "\n\nThe LGSP values are not consistent:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
