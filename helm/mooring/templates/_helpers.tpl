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
# Exactly the verbs the operator uses: LeastPrivilegeE2E compares them with the API server's audit log of a whole
# end-to-end run, and fails on a verb granted and unused or used and not granted.
# Its own resource: watched through an informer; status written by server-side apply.
- apiGroups: [mooring.dev]
  resources: [mcpservers]
  verbs: [list, watch]
- apiGroups: [mooring.dev]
  resources: [mcpservers/status]
  verbs: [patch]
# What an McpServer becomes, written by server-side apply (a patch; RBAC also asks for create when it creates the
# object). get: before creating one, Mooring looks whether the name is taken by an object it does not own, and
# then leaves it alone (NameInUse).
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch]
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch, create, patch]
# One per server, <name>-mcp-check: the MCP check each new pod's proxy runs before the pod takes traffic. Only
# ConfigMaps labelled as Mooring's are watched; get, by name, also reads those a server's env/envFrom names, whose
# data is hashed into the pod template so that a change rolls the server out.
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create, patch]
# One per server (spec.network.policy Default), named after it: who may reach its pods. delete: a server switched to
# policy None. get: before creating one, whether the name is taken.
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [get, list, watch, create, patch, delete]
# delete: a server scaled below 2 replicas has no budget.
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, patch, delete]
# The session key Secret of each server that hands sessions over (<name>-mcp-session): created, and patched when
# its key rotates; get: before creating it, whether the name is taken, and before a rotation, which keys it holds.
# get also reads, by name, the Secrets a server's env/envFrom and verification headers name, to hash their data
# into the pod template (a rotated credential rolls the server out). No list or watch: the operator never holds
# the cluster's Secrets in memory, only the ones servers name, one at a time.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, create, patch]
# Verification Jobs, one per revision; finished ones beyond the last few are deleted. get: a Job of that name
# exists that the cache does not show, so whose it is decides between keeping it and NameInUse.
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, delete]
# Read only: pods explain a stalled rollout; a verification pod's termination message holds its report.
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
# The last verified pod template, kept in a ControllerRevision (one per verified revision, the previous one deleted)
# so that a rollback always has its target.
- apiGroups: [apps]
  resources: [controllerrevisions]
  verbs: [get, create, delete]
# Read only: verification starts once the Service's EndpointSlices list the new revision's pods alone.
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
# Events are aggregated: the same occurrence again raises the count of the one Event (get, then patch).
- apiGroups: [""]
  resources: [events]
  verbs: [get, create, patch]
{{- end -}}

{{/*
Refuses a release whose watched namespaces overlap another Mooring release's: two operators would reconcile
the same McpServers and fight over their Deployments. Reads the other releases' RBAC, which carries their
names, so it runs where Helm talks to the cluster (install, upgrade, --dry-run=server) and not in
`helm template`. Every release looks for releases that watch every namespace (ClusterRoles); one watching
every namespace also looks at every Role, one watching a list only at the Roles in its own namespaces.
*/}}
{{- define "mooring.refuseOverlap" -}}
{{- $roles := (lookup "rbac.authorization.k8s.io/v1" "ClusterRole" "" "").items | default list -}}
{{- if .Values.watchNamespaces -}}
{{- range $namespace := .Values.watchNamespaces -}}
{{- $roles = concat $roles ((lookup "rbac.authorization.k8s.io/v1" "Role" $namespace "").items | default list) -}}
{{- end -}}
{{- else -}}
{{- $roles = concat $roles ((lookup "rbac.authorization.k8s.io/v1" "Role" "" "").items | default list) -}}
{{- end -}}
{{- range $role := $roles -}}
{{- $release := dig "metadata" "annotations" "meta.helm.sh/release-name" "" $role -}}
{{- $releaseNamespace := dig "metadata" "annotations" "meta.helm.sh/release-namespace" "" $role -}}
{{- $isWatchRole := not (hasSuffix "-leader-election" $role.metadata.name) -}}
{{- if and $isWatchRole (eq (dig "metadata" "labels" "app.kubernetes.io/name" "" $role) "mooring-operator")
           (or (ne $release $.Release.Name) (ne $releaseNamespace $.Release.Namespace)) -}}
{{- $scope := ternary "every namespace" (printf "namespace %s" (dig "metadata" "namespace" "" $role)) (eq $role.kind "ClusterRole") -}}
{{- $other := printf "Mooring release %q in namespace %q" $release $releaseNamespace -}}
{{- if not $release -}}
{{- $other = printf "A Mooring operator installed without Helm (%s %s)" $role.kind $role.metadata.name -}}
{{- end -}}
{{- fail (printf "%s already watches %s; a second operator there would reconcile the same McpServers. Give this release watchNamespaces that leave those out, or upgrade or remove the other one first." $other $scope) -}}
{{- end -}}
{{- end -}}
{{- end -}}
