/**
 * A URI (or DSN) as it may be shown: any password or token in it replaced by `***`, whatever the
 * scheme — `postgresql://mlflow:secret@db/mlflow` → `postgresql://mlflow:***@db/mlflow`,
 * `https://token@host` → `https://***@host`, `databricks://profile:secret` →
 * `databricks://profile:***`, a bare `user:secret@host` → `user:***@host`; a query value named like
 * a secret (`?token=…`, `password`, `key`, `secret`, `signature`, `sig`, `credential`) too.
 * Everything else is kept, so the message still says where.
 *
 * @example
 * ```ts
 * redactUri('mysql+pymysql://root:hunter2@db:3306/mlflow'); // 'mysql+pymysql://root:***@db:3306/mlflow'
 * ```
 */
export function redactUri(uri: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(uri)?.[0] ?? '';
  const rest = uri.slice(scheme.length);
  let authorityEnd = rest.search(/[/?#]/);
  const at = rest.lastIndexOf('@');
  // A password holding an unencoded `/`, `?` or `#` ends the authority early (`user:pa#ss@host`,
  // whose "port" is no port): the userinfo then runs to the last `@`.
  if (
    authorityEnd !== -1 &&
    at > authorityEnd &&
    /^[^:@]*:(?!\d*$)/.test(rest.slice(0, authorityEnd))
  ) {
    const end = rest.slice(at).search(/[/?#]/);
    authorityEnd = end === -1 ? -1 : at + end;
  }
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  return `${scheme}${redactAuthority(authority, scheme)}${redactQuery(tail)}`;
}

function redactAuthority(authority: string, scheme: string): string {
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = colon === -1 ? '' : userinfo.slice(0, colon);
    return `${colon === -1 ? '***' : `${user}:***`}${authority.slice(at)}`;
  }
  // `profile:secret` with no host part (databricks://, and any scheme whose "port" is not a port).
  const colon = authority.indexOf(':');
  if (colon !== -1 && scheme !== '' && !/^\d*$/.test(authority.slice(colon + 1))) {
    return `${authority.slice(0, colon)}:***`;
  }
  return authority;
}

const SECRET_PARAM = /(token|password|passwd|pwd|secret|key|signature|credential|auth)|^sig$/i;

function redactQuery(tail: string): string {
  const query = tail.indexOf('?');
  if (query === -1) return tail;
  const hash = tail.indexOf('#', query);
  const end = hash === -1 ? tail.length : hash;
  const redacted = tail
    .slice(query + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq !== -1 && SECRET_PARAM.test(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=***` : pair;
    })
    .join('&');
  return `${tail.slice(0, query + 1)}${redacted}${tail.slice(end)}`;
}
