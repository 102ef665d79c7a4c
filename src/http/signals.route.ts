import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemsFromZod } from '../domain/intake/field-problem.js';
import { signalsUpdateSchema } from '../domain/intake/lead-input.js';
import { formatLeadRef, parseLeadRef } from '../domain/leads/lead.js';
import { applySignals, type LeadLocator, type SignalsDeps } from '../domain/scoring/update-signals.js';
import { isDomainError } from '../domain/shared/errors.js';
import { presentFieldProblems } from '../i18n/field-problems.js';
import { sendJson } from './headers.js';

/**
 * `PATCH /api/leads/{ref}/signals` and `PATCH /api/leads/external/{team}/{externalId}/signals`:
 * behaviour that arrived after intake. The answer is the score and priority now and before, with
 * the rules behind the score; a replay answers the same and changes nothing; an unknown lead is 404.
 */
export async function handleSignals(
  request: FastifyRequest<{ Params: { ref?: string; team?: string; externalId?: string } }>,
  reply: FastifyReply,
  deps: SignalsDeps,
) {
  if (request.rawBody === undefined)
    return sendJson(reply, 415, { error: 'unsupported_media_type', message: 'Send the signals as application/json.' });
  const parsed = signalsUpdateSchema.safeParse(request.body);
  if (!parsed.success)
    return sendJson(reply, 400, {
      error: 'validation_failed',
      message: 'Some fields are invalid.',
      fields: presentFieldProblems(problemsFromZod(parsed.error), 'en'),
    });
  const where = locator(request.params);
  if (!where)
    return sendJson(reply, 404, {
      error: 'not_found',
      message: `No lead "${String(request.params.ref).slice(0, 40)}".`,
    });
  try {
    const applied = await applySignals(deps, where, parsed.data.signals);
    const { lead, before, changed } = applied;
    return sendJson(reply, 200, {
      id: lead.id,
      ref: formatLeadRef(lead.id),
      changed,
      score: lead.score,
      priority: lead.priority,
      before,
      why: lead.scoreDetail.map((d) => ({ rule: d.label, points: d.points })),
    });
  } catch (error) {
    if (isDomainError(error) && error.code === 'lead.not_found')
      return sendJson(reply, 404, { error: 'not_found', message: 'No such lead.' });
    throw error;
  }
}

function locator(params: { ref?: string; team?: string; externalId?: string }): LeadLocator | null {
  if (params.team && params.externalId) return { teamId: params.team, externalId: params.externalId };
  const id = params.ref ? parseLeadRef(params.ref) : null;
  return id === null ? null : { leadId: id };
}
