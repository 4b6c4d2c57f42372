-- Argo CD health of a mooring.dev McpServer, from the conditions Mooring writes.
-- Healthy: the current generation is observed, its pods are ready and the serving revision passed verification
-- (or verification is off). Degraded: a failed verification, a rollback, or a rollout that stopped progressing.
-- Progressing: everything in between, and while the resource is being deleted.
local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "The McpServer is being deleted"
  return hs
end

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Mooring to reconcile the McpServer"
  return hs
end

if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for Mooring to observe generation " .. obj.metadata.generation
  return hs
end

local degraded = condition("Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = degraded.message
  return hs
end

local ready = condition("Ready")
local verified = condition("Verified")
local verifiedOrOff = verified ~= nil and (verified.status == "True" or verified.reason == "VerificationDisabled")

if ready ~= nil and ready.status == "True" and verifiedOrOff then
  hs.status = "Healthy"
  if verified.status == "True" then
    hs.message = verified.message
  else
    hs.message = ready.message
  end
  return hs
end

if ready ~= nil and ready.reason == "ScaledToZero" then
  hs.status = "Healthy"
  hs.message = ready.message
  return hs
end

local progressing = condition("Progressing")
hs.status = "Progressing"
if progressing ~= nil and progressing.status == "True" then
  hs.message = progressing.message
elseif ready ~= nil then
  hs.message = ready.message
else
  hs.message = "Waiting for Mooring to report readiness"
end
return hs
