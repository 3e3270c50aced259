import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireCompany } from './access.js';
import type { CompanySummary } from './createCompany.js';
import { companiesRepo, type CompanyRow } from './repo.js';
import type { Role } from '../../authz/permissions.js';

export interface Page<T> { items: T[]; nextCursor: string | null }

export const DEFAULT_PAGE = 500;
export const MAX_PAGE = 1000;

/** Encodes the last key of a page; opaque to clients. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}
export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** My Companies with my role, paged (never silently capped: `nextCursor` says there is more). */
export async function listMyCompanies(ctx: Ctx, actor: Actor, page: { cursor?: string; limit?: number }): Promise<Page<CompanySummary>> {
  return (await listMyCompaniesUnlessKnown(ctx, actor, page, null)).page!;
}

/** The same page with its fingerprint; `page` is null when it is `known` (ADR 0120). */
export async function listMyCompaniesUnlessKnown(ctx: Ctx, actor: Actor, page: { cursor?: string; limit?: number }, known: string | null): Promise<{ fingerprint: string; page: Page<CompanySummary> | null }> {
  const limit = Math.min(page.limit ?? DEFAULT_PAGE, MAX_PAGE);
  const { fingerprint, rows } = await companiesRepo.listForAccountUnlessKnown(ctx.db, actor.id, decodeCursor(page.cursor), limit + 1, known);
  if (!rows) return { fingerprint, page: null };
  const items = rows.slice(0, limit).map((r) => ({ id: r.id, name: r.name, role: r.role as Role }));
  return { fingerprint, page: { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null } };
}

export interface CompanyView { id: string; name: string; role: Role; blockTransfersOut: boolean; requireTwoFactor: boolean; requireCostApproval: boolean; createdAt: string }

export function companyView(company: CompanyRow, role: Role): CompanyView {
  return { id: company.id, name: company.name, role, blockTransfersOut: company.blockTransfersOut, requireTwoFactor: company.requireTwoFactor, requireCostApproval: company.requireCostApproval, createdAt: company.createdAt.toISOString() };
}

export async function getCompany(ctx: Ctx, actor: Actor, companyId: string): Promise<CompanyView> {
  return recordRefusals(ctx.db, async () => {
    const { company, role } = await requireCompany(ctx.db, ctx.clock.now(), actor, companyId, 'company.view');
    return companyView(company, role);
  });
}
