{{/* <release>-operator, or <release>-mooring-operator when the release name does not say mooring. */}}
{{- define "mooring.fullname" -}}
{{- $base := ternary .Release.Name (printf "%s-%s" .Release.Name .Chart.Name) (contains .Chart.Name .Release.Name) -}}
{{- printf "%s-operator" ($base | trunc 54 | trimSuffix "-") -}}
{{- end -}}

{{- define "mooring.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mooring.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name must name an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "mooring.selectorLabels" -}}
app.kubernetes.io/name: mooring-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mooring.labels" -}}
{{ include "mooring.selectorLabels" . }}
app.kubernetes.io/part-of: mooring
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* An image reference from {repository, tag}; the tag defaults to the chart's appVersion. Call with (list . image). */}}
{{- define "mooring.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 -}}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/*
What the operator does with the resources of the namespaces it watches, and nothing more. Shared by the
ClusterRole (all namespaces) and the Roles (a list of namespaces).
*/}}
{{- define "mooring.watchedNamespaceRules" -}}
# Its own resource: watched; status written by server-side apply.
- apiGroups: [mooring.dev]
  resources: [mcpservers]
  verbs: [get, list, watch, patch, update]
- apiGroups: [mooring.dev]
  resources: [mcpservers/status]
  verbs: [get, patch, update]
# What an McpServer becomes, written by server-side apply.
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, patch, update, delete]
# Verification Jobs, one per revision; finished ones beyond the last few are deleted.
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, delete]
# Read only: pods explain a stalled rollout; a verification pod's termination message holds its report.
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
# Read only: a rollback takes the last verified revision's template from its ReplicaSet.
- apiGroups: [apps]
  resources: [replicasets]
  verbs: [get, list]
- apiGroups: ["", events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end -}}
