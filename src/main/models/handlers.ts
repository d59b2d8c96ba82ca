import type { modelsContract } from '../../shared/api/models'
import type { AppContext } from '../app/context'
import { createSaveTargets, rendererWriteTarget, type SaveTargets } from '../app/save-targets'
import { defaultExportFile, exportAuditCsv } from '../audit/export'
import { onAuditAppend } from '../audit/log'
import { auditSummary, listAudit } from '../audit/query'
import { verifyAuditLog } from '../audit/verify'
import { approveHost, egressGuard, reapproveHost } from '../egress'
import { listApprovals, POLICY_DESCRIPTION, revokeApproval } from '../egress/policy'
import type { HandlersFor } from '../../shared/api/handlers'
import { endpointsWithStatus, listModels } from './catalog'
import { resolveAndAddEndpoint, listEndpoints, removeEndpoint } from './endpoints'

const subscribed = new WeakSet<AppContext>()

/** Models, endpoints, egress policy and audit log channels. */
export function modelsHandlers(
  ctx: AppContext,
  deps: { saveTargets: SaveTargets } = { saveTargets: createSaveTargets() },
): HandlersFor<keyof typeof modelsContract> {
  if (!subscribed.has(ctx)) {
    subscribed.add(ctx)
    onAuditAppend(ctx.db, (row) => ctx.events.emit('audit:appended', { seq: row.seq, kind: row.kind }))
  }
  const actor = () => egressGuard(ctx).actor
  return {
    'models:endpoints': () => listEndpoints(ctx, actor()),
    'models:endpoints-status': () => endpointsWithStatus(ctx),
    'models:endpoint-add': async (input) => (await resolveAndAddEndpoint(ctx, input, actor())).endpoint,
    'models:endpoint-remove': ({ name }) => ({ removed: removeEndpoint(ctx, name, actor()) }),
    'models:list': ({ refresh }) => listModels(ctx, { refresh }),
    'egress:policy': () => ({
      mode: 'loopback-only-plus-approved',
      description: POLICY_DESCRIPTION,
      approvals: listApprovals(ctx.db),
    }),
    'egress:approve': ({ host, port, reason }) => approveHost(ctx, { host, port, reason }),
    'egress:revoke': ({ id }) => revokeApproval(ctx.db, id, actor()),
    'egress:reapprove': ({ id, addresses }) => reapproveHost(ctx, id, addresses),
    'audit:list': (filter) => listAudit(ctx.db, filter),
    'audit:summary': () => auditSummary(ctx.db),
    'audit:verify': () => verifyAuditLog(ctx.db),
    'audit:export': (input) =>
      exportAuditCsv(
        ctx.db,
        rendererWriteTarget(ctx.dataDir, deps.saveTargets, input?.file, defaultExportFile(ctx.dataDir)),
      ),
  }
}
