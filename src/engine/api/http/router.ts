// Routes as moby declares them to gorilla/mux: a method and a path template whose `{name}` parts
// match one segment and `{name:regexp}` parts match their expression (moby writes
// `/images/{name:.*}/json` so an image name may hold slashes). Routes are tried in the order
// they were added and the first that matches wins, as in gorilla/mux.
import type { Handler } from './response.ts';

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

export interface RouteMatch {
  readonly handler: Handler;
  readonly params: Readonly<Record<string, string>>;
  /** The template that matched, for logs: `/containers/{name:.*}/json`. */
  readonly template: string;
}

export class Router {
  readonly #routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const { pattern, names } = compileTemplate(template);
    this.#routes.push({ method: method.toUpperCase(), template, pattern, names, handler });
    return this;
  }

  get(template: string, handler: Handler): this {
    return this.add('GET', template, handler);
  }

  head(template: string, handler: Handler): this {
    return this.add('HEAD', template, handler);
  }

  post(template: string, handler: Handler): this {
    return this.add('POST', template, handler);
  }

  put(template: string, handler: Handler): this {
    return this.add('PUT', template, handler);
  }

  delete(template: string, handler: Handler): this {
    return this.add('DELETE', template, handler);
  }

  options(template: string, handler: Handler): this {
    return this.add('OPTIONS', template, handler);
  }

  /**
   * The first route of this method whose template matches the (version-less) path. moby answers
   * a known path with another method exactly as an unknown path (404 "page not found"), so a
   * method mismatch is simply no match. HEAD is not implied by GET.
   */
  match(method: string, path: string): RouteMatch | null {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = m.groups?.[`p${i}`] ?? ''));
      return { handler: route.handler, params, template: route.template };
    }
    return null;
  }
}

/** gorilla/mux's template syntax: literal text, `{name}` (one segment) and `{name:regexp}`. */
export function compileTemplate(template: string): { pattern: RegExp; names: string[] } {
  if (!template.startsWith('/')) throw new Error(`route template must start with '/': ${template}`);
  const names: string[] = [];
  let source = '^';
  for (let i = 0; i < template.length; ) {
    if (template[i] !== '{') {
      const next = template.indexOf('{', i);
      const end = next < 0 ? template.length : next;
      source += escapeRegExp(template.slice(i, end));
      i = end;
      continue;
    }
    // Braces inside the expression (`{id:[0-9]{3}}`) nest.
    let depth = 0;
    let close = i;
    for (; close < template.length; close++) {
      if (template[close] === '{') depth++;
      else if (template[close] === '}' && --depth === 0) break;
    }
    if (close === template.length) throw new Error(`unbalanced braces in route template: ${template}`);
    const inner = template.slice(i + 1, close);
    const colon = inner.indexOf(':');
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const expression = colon < 0 ? '[^/]+' : inner.slice(colon + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad parameter name '${name}' in route template: ${template}`);
    if (names.includes(name)) throw new Error(`parameter '${name}' repeats in route template: ${template}`);
    source += `(?<p${names.length}>${expression})`;
    names.push(name);
    i = close + 1;
  }
  return { pattern: new RegExp(source + '$'), names };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
