{{/* Chart name, truncated to the 63 characters Kubernetes allows. */}}
{{- define "recalign.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name for every object of this release. */}}
{{- define "recalign.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "recalign.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "recalign.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "recalign.selectorLabels" -}}
app.kubernetes.io/name: {{ include "recalign.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The serving pods: what the Service, the Deployment and the ServiceMonitor select (training pods differ). */}}
{{- define "recalign.servingSelectorLabels" -}}
{{ include "recalign.selectorLabels" . }}
app.kubernetes.io/component: serving
{{- end }}

{{/* The Secret holding the admin token. */}}
{{- define "recalign.adminTokenSecret" -}}
{{- .Values.adminToken.existingSecret | default (include "recalign.fullname" .) }}
{{- end }}

{{/* The Secret holding the database password. */}}
{{- define "recalign.databaseSecret" -}}
{{- .Values.database.existingSecret | default (include "recalign.fullname" .) }}
{{- end }}

{{/* "true" when the service uses an external PostgreSQL (a URL in the values or in the Secret), else empty. */}}
{{- define "recalign.externalDatabase" -}}
{{- if or .Values.database.url (and .Values.database.existingSecret .Values.database.existingSecretUrlKey) }}true{{ end }}
{{- end }}

{{/* A training Job's name; call with (dict "root" $ "name" <entry name>). */}}
{{- define "recalign.trainingJobName" -}}
{{- printf "%s-%s" (include "recalign.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The data volume's claim. */}}
{{- define "recalign.dataClaim" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "recalign.fullname" .)) }}
{{- end }}

{{/* The image; call with (dict "root" $ "gpu" true) for the GPU image. */}}
{{- define "recalign.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- if .gpu }}
{{- $tag = .root.Values.gpu.imageTag | default (printf "%s-gpu" $tag) }}
{{- end }}
{{- printf "%s:%s" .root.Values.image.repository $tag }}
{{- end }}

{{/*
Refuses settings that cannot work: several pods (serving replicas, autoscaling, training Jobs) need an
external database, since the embedded one lives in a single pod, and a ReadWriteMany data volume,
since every pod reads the models the others store.
*/}}
{{- define "recalign.validate" -}}
{{- $shared := or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled (gt (len .Values.training.jobs) 0) }}
{{- if and $shared (not (include "recalign.externalDatabase" .)) }}
{{- fail "several pods (replicaCount > 1, autoscaling, training.jobs) need an external PostgreSQL: set database.url, or database.existingSecret with database.existingSecretUrlKey" }}
{{- end }}
{{- if and $shared (or (not .Values.persistence.enabled) (ne .Values.persistence.accessMode "ReadWriteMany")) }}
{{- fail "several pods (replicaCount > 1, autoscaling, training.jobs) share the model volume: set persistence.enabled=true and persistence.accessMode=ReadWriteMany" }}
{{- end }}
{{- end }}

{{/* Secrets as environment, shared by the service and training Jobs. */}}
{{- define "recalign.secretEnv" -}}
- name: RECALIGN_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "recalign.adminTokenSecret" . }}
      key: {{ .Values.adminToken.existingSecretKey }}
{{- if and .Values.database.existingSecret .Values.database.existingSecretUrlKey }}
- name: SPRING_DATASOURCE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.existingSecretUrlKey }}
{{- end }}
{{- if and .Values.database.existingSecret .Values.database.existingSecretUsernameKey }}
- name: SPRING_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.existingSecretUsernameKey }}
{{- end }}
{{- if include "recalign.externalDatabase" . }}
- name: SPRING_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "recalign.databaseSecret" . }}
      key: {{ .Values.database.existingSecretKey }}
{{- end }}
{{- end }}

{{/* Container resources, with nvidia.com/gpu added to the limits; call with (dict "resources" ... "gpus" N). */}}
{{- define "recalign.resources" -}}
{{- $resources := deepCopy (.resources | default dict) }}
{{- if gt (int .gpus) 0 }}
{{- $limits := merge (dict "nvidia.com/gpu" (int .gpus)) ($resources.limits | default dict) }}
{{- $_ := set $resources "limits" $limits }}
{{- end }}
{{- toYaml $resources }}
{{- end }}

{{/*
Node selector, tolerations and affinity of a pod, with the gpu.* scheduling added on GPU pods; call with
(dict "root" $ "gpus" N "nodeSelector" ... "tolerations" ... "affinity" ...).
*/}}
{{- define "recalign.scheduling" -}}
{{- $nodeSelector := .nodeSelector | default dict }}
{{- $tolerations := .tolerations | default list }}
{{- if gt (int .gpus) 0 }}
{{- $nodeSelector = merge (deepCopy $nodeSelector) .root.Values.gpu.nodeSelector }}
{{- $tolerations = concat $tolerations .root.Values.gpu.tolerations }}
{{- end }}
{{- with $nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The data volume and a scratch /tmp (the embedded PostgreSQL unpacks its binaries there). */}}
{{- define "recalign.volumes" -}}
- name: data
  {{- if .Values.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "recalign.dataClaim" . }}
  {{- else }}
  emptyDir: {}
  {{- end }}
- name: tmp
  emptyDir: {}
{{- end }}

{{- define "recalign.volumeMounts" -}}
- name: data
  mountPath: /data
- name: tmp
  mountPath: /tmp
{{- end }}
