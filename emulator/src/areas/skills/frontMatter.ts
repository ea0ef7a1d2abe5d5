/**
 * The YAML front matter of a SKILL.md (`---` ... `---` at the very top). Gumloop requires `name` and `description`
 * there and re-reads `metadata` from it on every upload (skills.yml). No YAML library is a runtime dependency, so
 * this parses the subset front matter uses in practice: block mappings and sequences (nested by indentation),
 * plain / single- / double-quoted scalars (plain ones may continue on more-indented lines), `|` and `>` block
 * scalars, flow sequences `[a, b]` and flow mappings `{a: 1}` of scalars, and `#` comments. Anything else is
 * reported as invalid YAML (a 400 for the upload).
 */

/** Thrown for front matter that is not valid (subset) YAML. */
export class FrontMatterError extends Error {}

/** Splits a SKILL.md into its front matter (parsed) and body; null when it has no front matter. */
export function parseFrontMatter(markdown: string): Record<string, unknown> | null {
  const lines = markdown.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trimEnd() !== "---") return null;
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end < 0) throw new FrontMatterError("the front matter is not closed with ---");
  const parser = new Parser(lines.slice(1, end));
  const value = parser.document();
  if (value === null) return {};
  if (!isMapping(value)) throw new FrontMatterError("the front matter must be a mapping of keys to values");
  return value;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#\-?:][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*))?$/;

class Parser {
  readonly #lines: string[];
  #pos = 0;

  constructor(lines: string[]) {
    this.#lines = lines;
  }

  document(): unknown {
    const first = this.#peek();
    if (!first) return null;
    const value = this.#block(first.indent);
    const rest = this.#peek();
    if (rest) this.#fail("unexpected indentation", rest.no);
    return value;
  }

  /** The next meaningful line (skips blanks and comments) without consuming it. */
  #peek(): { indent: number; text: string; no: number } | null {
    while (this.#pos < this.#lines.length) {
      const line = this.#lines[this.#pos]!;
      const text = line.trim();
      if (text === "" || text.startsWith("#")) {
        this.#pos++;
        continue;
      }
      const indent = line.length - line.trimStart().length;
      if (/^\s*\t/.test(line)) this.#fail("tabs are not allowed in indentation", this.#pos);
      return { indent, text, no: this.#pos };
    }
    return null;
  }

  #fail(message: string, index: number): never {
    throw new FrontMatterError(`${message} (front matter line ${index + 1})`);
  }

  #block(indent: number): unknown {
    const line = this.#peek()!;
    return line.text === "-" || line.text.startsWith("- ") ? this.#sequence(indent) : this.#mapping(indent);
  }

  #mapping(indent: number): Record<string, unknown> {
    // Null prototype: keys are caller-chosen names (`__proto__`, `constructor` must stay plain keys).
    const out: Record<string, unknown> = Object.create(null);
    for (let line = this.#peek(); line && line.indent >= indent; line = this.#peek()) {
      if (line.indent > indent) this.#fail("unexpected indentation", line.no);
      if (line.text === "-" || line.text.startsWith("- ")) break;
      const match = KEY.exec(line.text);
      if (!match) this.#fail(`expected "key: value", got "${line.text}"`, line.no);
      const key = String(scalar(match[1]!, () => this.#fail("bad key", line.no)));
      if (Object.hasOwn(out, key)) this.#fail(`duplicate key "${key}"`, line.no);
      this.#pos++;
      out[key] = this.#value(stripComment(match[2] ?? ""), indent, line.no);
    }
    return out;
  }

  #sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.#peek(); line && line.indent === indent; line = this.#peek()) {
      if (line.text !== "-" && !line.text.startsWith("- ")) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === "") {
        this.#pos++;
        const next = this.#peek();
        out.push(next && next.indent > indent ? this.#block(next.indent) : null);
      } else if (KEY.test(rest) && !/^["'[{]/.test(rest)) {
        // "- key: value": the mapping starts where `key` does; rewrite the dash away and parse it as a mapping.
        const raw = this.#lines[this.#pos]!;
        const column = raw.indexOf(rest, indent + 1);
        this.#lines[this.#pos] = " ".repeat(column) + rest;
        out.push(this.#mapping(column));
      } else {
        this.#pos++;
        out.push(this.#value(stripComment(rest), indent, line.no));
      }
    }
    return out;
  }

  /** The value after `key:` (or `- `), which may continue on following, more-indented lines. */
  #value(text: string, indent: number, no: number): unknown {
    if (text === "") {
      const next = this.#peek();
      if (next && next.indent > indent) return this.#block(next.indent);
      // YAML allows a key's sequence at the key's own indentation.
      if (next && next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) {
        return this.#sequence(indent);
      }
      return null;
    }
    if (/^[|>][+-]?$/.test(text)) return this.#blockScalar(text, indent);
    const fail = (message: string): never => this.#fail(message, no);
    if (/^["'[{]/.test(text)) return scalar(text, fail);
    // A plain scalar folds following lines that are more indented than its key.
    const parts = [text];
    for (let next = this.#peek(); next && next.indent > indent; next = this.#peek()) {
      if (KEY.test(next.text) && parts.length === 1 && next.indent > indent) {
        this.#fail("a value cannot be followed by a nested mapping", next.no);
      }
      parts.push(stripComment(next.text));
      this.#pos++;
    }
    return scalar(parts.join(" "), fail);
  }

  #blockScalar(indicator: string, indent: number): string {
    const raw: string[] = [];
    while (this.#pos < this.#lines.length) {
      const line = this.#lines[this.#pos]!;
      if (line.trim() !== "" && line.length - line.trimStart().length <= indent) break;
      raw.push(line);
      this.#pos++;
    }
    const indents = raw.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length);
    if (indents.length === 0) return "";
    const contentIndent = Math.min(...indents);
    const body = raw.map((l) => (l.trim() === "" ? "" : l.slice(contentIndent)));
    while (body.length > 0 && body[body.length - 1] === "") body.pop();
    let text = body.join("\n");
    if (indicator[0] === ">") {
      // Folded: single line breaks become spaces, blank lines become line breaks.
      text = "";
      for (const l of body) {
        if (l === "") text += "\n";
        else text += text === "" || text.endsWith("\n") ? l : ` ${l}`;
      }
    }
    return indicator.endsWith("-") ? text : `${text}\n`;
  }
}

/** Drops a trailing ` # comment`. Quotes only matter when the value starts with one (or is a flow collection). */
function stripComment(text: string): string {
  if (!/^["'[{]/.test(text)) {
    const match = /(^|\s)#/.exec(text);
    return (match ? text.slice(0, match.index) : text).trim();
  }
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#" && /\s/.test(text[i - 1] ?? "")) {
      return text.slice(0, i).trimEnd();
    }
  }
  return text.trim();
}

/** Splits a flow collection's inside on top-level commas. */
function splitFlow(inner: string): string[] {
  const items: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") throw new FrontMatterError("nested flow collections are not supported");
    else if (c === ",") {
      items.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = inner.slice(start).trim();
  if (last !== "" || items.length > 0) items.push(last);
  return items.filter((item, i, all) => item !== "" || i < all.length - 1);
}

/** A scalar or a flow collection of scalars. */
function scalar(text: string, fail: (message: string) => never): unknown {
  if (text.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(text)) fail(`unterminated or malformed double-quoted string ${text}`);
    try {
      return JSON.parse(text.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1")) as string;
    } catch {
      return fail(`bad escape in ${text}`);
    }
  }
  if (text.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(text)) fail(`unterminated single-quoted string ${text}`);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.startsWith("[")) {
    if (!text.endsWith("]")) fail(`unterminated flow sequence ${text}`);
    return splitFlow(text.slice(1, -1)).map((item) => scalar(item, fail));
  }
  if (text.startsWith("{")) {
    if (!text.endsWith("}")) fail(`unterminated flow mapping ${text}`);
    // Null prototype: keys are caller-chosen names (`__proto__`, `constructor` must stay plain keys).
    const out: Record<string, unknown> = Object.create(null);
    for (const item of splitFlow(text.slice(1, -1))) {
      const match = /^([^:]+?)\s*:\s*(.*)$/.exec(item);
      if (!match) fail(`expected "key: value" in ${text}`);
      out[String(scalar(match[1]!, fail))] = scalar(match[2]!, fail);
    }
    return out;
  }
  if (/^[&*!%@`]/.test(text)) fail(`unsupported YAML syntax: ${text}`);
  if (text === "" || text === "~" || text === "null" || text === "Null" || text === "NULL") return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}
