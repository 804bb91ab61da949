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

{{/* The Secret holding the admin token. */}}
{{- define "recalign.adminTokenSecret" -}}
{{- .Values.adminToken.existingSecret | default (include "recalign.fullname" .) }}
{{- end }}

{{/* The Secret holding the database password. */}}
{{- define "recalign.databaseSecret" -}}
{{- .Values.database.existingSecret | default (include "recalign.fullname" .) }}
{{- end }}
