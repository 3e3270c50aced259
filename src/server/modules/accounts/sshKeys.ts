import type { Actor } from './session.js';
import { accountsRepo, type SshKeyRow } from './repo.js';
import { parseSshPublicKey, SshKeyError } from './sshKeyFormat.js';
import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';

export interface SshKeyView { id: string; title: string; fingerprint: string; keyType: string; bits: number; createdAt: string }

const MAX_KEYS = 50;

function view(row: SshKeyRow): SshKeyView {
  return { id: row.id, title: row.title, fingerprint: row.fingerprint, keyType: row.keyType, bits: row.bits, createdAt: row.createdAt.toISOString() };
}

/** SSH keys are a developer's tool; client Accounts never see them (SPEC section 1). */
function assertDeveloper(actor: Actor) {
  if (actor.accountType !== 'developer') {
    throw new AppError('forbidden', 'SSH keys are only for developer accounts. Switch the account type to developer in your profile to use them.');
  }
}

export async function listSshKeys(ctx: Ctx, actor: Actor): Promise<SshKeyView[]> {
  assertDeveloper(actor);
  return (await accountsRepo.listSshKeys(ctx.db, actor.id)).map(view);
}

export async function addSshKey(ctx: Ctx, actor: Actor, input: { title: string; publicKey: string }): Promise<SshKeyView> {
  assertDeveloper(actor);
  let parsed;
  try {
    parsed = parseSshPublicKey(input.publicKey);
  } catch (err) {
    if (err instanceof SshKeyError) throw new AppError('validation_failed', err.message, [{ path: 'publicKey', message: err.message }]);
    throw err;
  }
  const existing = await accountsRepo.listSshKeys(ctx.db, actor.id);
  if (existing.length >= MAX_KEYS) throw new AppError('conflict', `You can have at most ${MAX_KEYS} SSH keys. Delete one you no longer use.`);
  const title = input.title.trim() || parsed.comment || `${parsed.type} key`;
  const row = await accountsRepo.insertSshKey(ctx.db, {
    id: newId('key'), accountId: actor.id, title, publicKey: parsed.canonical, keyType: parsed.type,
    bits: parsed.bits, fingerprint: parsed.fingerprint, createdAt: ctx.clock.now(),
  });
  if (!row) {
    const message = 'This key is already added to an account. Each key can be used once; create a new key for this account.';
    throw new AppError('conflict', message, [{ path: 'publicKey', message }]);
  }
  return view(row);
}

export async function deleteSshKey(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  assertDeveloper(actor);
  if (!(await accountsRepo.deleteSshKey(ctx.db, actor.id, id))) throw notFound('This SSH key');
}
