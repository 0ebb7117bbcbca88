import { createHash, randomBytes } from 'node:crypto';
import { QaError } from '../errors.js';
import type { Db } from './db.js';
import { audit } from './ingest.js';
import type { Actor, NewUser, Role } from './model.js';
import { createRateLimiter, DUMMY_HASH, hashPassword, verifyPassword } from './passwords.js';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  agent_id: string | null;
  team: string | null;
  disabled: boolean;
}

const actorOf = (u: UserRow): Actor => ({
  id: u.id,
  username: u.username,
  role: u.role,
  agentId: u.agent_id,
  team: u.team,
});

export async function createUser(db: Db, u: NewUser, by: number | null, reset = false): Promise<Actor> {
  if (u.role === 'agent' && !u.agentId) {
    throw new QaError(
      'QA_ERR_REVIEW_BAD_REQUEST',
      'an agent user needs agentId (the agent id on their items)',
    );
  }
  const hash = await hashPassword(u.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.query<UserRow>('SELECT * FROM users WHERE username = $1 FOR UPDATE', [
      u.username,
    ]);
    if (existing && !reset)
      throw new QaError('QA_ERR_REVIEW_CONFLICT', `user "${u.username}" exists (use --reset)`);
    const values = [u.username, hash, u.role, u.agentId ?? null, u.team ?? null, u.displayName ?? null];
    const [row] = existing
      ? await tx.query<UserRow>(
          `UPDATE users SET password_hash = $2, role = $3, agent_id = $4, team = $5, display_name = $6, disabled = false
            WHERE username = $1 RETURNING *`,
          values,
        )
      : await tx.query<UserRow>(
          `INSERT INTO users (username, password_hash, role, agent_id, team, display_name)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          values,
        );
    if (existing) await tx.query('DELETE FROM sessions WHERE user_id = $1', [existing.id]);
    await audit(
      tx,
      by,
      existing ? 'user.reset' : 'user.create',
      'user',
      String(row!.id),
      null,
      existing ? { role: existing.role } : null,
      { username: u.username, role: u.role },
    );
    return actorOf(row!);
  });
}

export interface Session {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  actor: Actor;
}

export function createAuth(
  db: Db,
  options: { sessionHours: number; loginMaxAttempts: number; loginWindowSeconds: number },
) {
  const limiter = createRateLimiter(options.loginMaxAttempts, options.loginWindowSeconds * 1000);
  return {
    /** Password login, rate-limited per client address and per username; unknown users cost the same time. */
    async login(username: string, password: string, client: string): Promise<Session> {
      const keys = [`ip:${client}`, `user:${username.toLowerCase()}`];
      const wait = Math.max(...keys.map((k) => limiter.wait(k)));
      if (wait > 0) {
        const err = new QaError('QA_ERR_REVIEW_RATE_LIMITED', `retry in ${wait} s`);
        (err as QaError & { retryAfter?: number }).retryAfter = wait;
        throw err;
      }
      const [user] = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
      const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !ok || user.disabled) {
        for (const k of keys) limiter.fail(k);
        throw new QaError('QA_ERR_REVIEW_LOGIN_FAILED');
      }
      limiter.reset(keys[1]!);
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const [s] = await db.query<{ expires_at: Date }>(
        `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
        [tokenHash(token), user.id, csrfToken, Math.round(options.sessionHours * 3600)],
      );
      await db.query(`DELETE FROM sessions WHERE expires_at < now()`);
      return { token, csrfToken, expiresAt: new Date(s!.expires_at), actor: actorOf(user) };
    },

    async session(token: string | undefined): Promise<{ actor: Actor; csrfToken: string } | null> {
      if (!token || token.length > 200) return null;
      const [row] = await db.query<UserRow & { csrf_token: string }>(
        `SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
        [tokenHash(token)],
      );
      return row ? { actor: actorOf(row), csrfToken: row.csrf_token } : null;
    },

    async logout(token: string | undefined): Promise<void> {
      if (token) await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
    },

    async listUsers() {
      const rows = await db.query<UserRow & { display_name: string | null; created_at: Date }>(
        'SELECT * FROM users ORDER BY username',
      );
      return rows.map((u) => ({
        id: u.id,
        username: u.username,
        role: u.role,
        agentId: u.agent_id,
        team: u.team,
        displayName: u.display_name,
        disabled: u.disabled,
      }));
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;
