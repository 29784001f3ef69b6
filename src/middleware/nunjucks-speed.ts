import nunjucks from 'nunjucks';

// Rendering the GOV.UK page template is most of what a page costs. These changes make Nunjucks do less work
// per render and never change what it renders (test/middleware/nunjucks-speed.test.ts compares the output).

type Frame = {
  variables: Record<string, unknown>;
  resolve(name: string, forWrite: boolean): Frame | undefined;
  set(name: string, value: unknown, resolveUp?: boolean): void;
};
type FrameSet = (this: Frame, name: string, value: unknown, resolveUp?: boolean) => void;

const runtime = nunjucks.runtime as unknown as {
  Frame: { prototype: { set: FrameSet } };
  markSafe: (value: string) => unknown;
  copySafeness: (from: unknown, to: string) => unknown;
};

let framePatched = false;

/**
 * Frame.set splits every variable name on "." (to support `{% set a.b = 1 %}` and its own `loop.index`), an
 * allocation on each of the thousands of sets a page makes (every macro argument and loop variable). The names
 * come from compiled templates, so there are few of them: split each once.
 */
function patchFrameSet(): void {
  if (framePatched) return;
  framePatched = true;
  const original = runtime.Frame.prototype.set;
  const splitNames = new Map<string, readonly string[]>();
  runtime.Frame.prototype.set = function set(this: Frame, name, value, resolveUp) {
    if (typeof name !== 'string') {
      original.call(this, name, value, resolveUp);
      return;
    }
    let parts = splitNames.get(name);
    if (parts === undefined) {
      parts = name.split('.');
      if (splitNames.size < 10_000) splitNames.set(name, parts);
    }
    if (resolveUp) {
      const frame = this.resolve(parts[0]!, true);
      if (frame) {
        frame.set(name, value);
        return;
      }
    }
    let target = this.variables;
    for (let i = 0; i < parts.length - 1; i++) {
      const id = parts[i]!;
      if (!target[id]) target[id] = {};
      target = target[id] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = value;
  };
}

type ExportCallback = (err: unknown, exported?: Record<string, unknown>) => void;
type TemplateProto = {
  getExported(this: TemplateProto, ctx?: unknown, parentFrame?: unknown, cb?: ExportCallback): void;
};
const exportedMacros = new WeakMap<object, Record<string, unknown>>();
let importsPatched = false;

/**
 * `{% from "…/macro.njk" import govukButton %}` runs the whole macro file again on every render to collect its
 * macros: a dozen times per page between the GOV.UK template and its components. Without `with context` the file
 * runs in a fresh, empty context and frame, so what it exports depends only on the template itself (and the
 * environment's globals, set once at start); keep it per compiled template. A macro runs with a new frame of its
 * own each call and its includes get a new context, so sharing the exported functions between renders shares no
 * state. Imports `with context` are left alone.
 */
function patchMacroImports(): void {
  if (importsPatched) return;
  importsPatched = true;
  const proto = (nunjucks as unknown as { Template: { prototype: TemplateProto } }).Template.prototype;
  const original = proto.getExported;
  proto.getExported = function getExported(this: TemplateProto, ctx, parentFrame, cb) {
    if (typeof ctx !== 'function' || parentFrame !== undefined || cb !== undefined) {
      original.call(this, ctx, parentFrame, cb);
      return;
    }
    const done = ctx as ExportCallback;
    const known = exportedMacros.get(this);
    if (known) {
      // A copy: `{% import "x" as ns %}` hands the object itself to the template.
      done(null, { ...known });
      return;
    }
    original.call(this, (err: unknown, exported?: Record<string, unknown>) => {
      if (!err && exported) exportedMacros.set(this, exported);
      done(err, exported);
    });
  };
}

/** Nunjucks's `indent` splits the text into lines and joins them again; one replace gives the same string. */
function indent(value: unknown, width?: number, indentFirst?: boolean): unknown {
  if (value === null || value === undefined || value === false || value === '') return '';
  const text = String(value);
  const spaces = ' '.repeat(width || 4);
  const indented = (indentFirst ? spaces : '') + text.replaceAll('\n', `\n${spaces}`);
  return runtime.copySafeness(value, indented);
}

type Loader = {
  isRelative?: (name: string) => boolean;
  resolve?: (from: string, to: string) => string;
};
type ResolvingEnvironment = {
  resolveTemplate(loader: Loader, parentName: string | null, filename: string): string;
};

/**
 * Every `{% include "./template.njk" %}` and `{% from "./macro.njk" import … %}` in govuk-frontend resolves its
 * relative name with path.resolve, on every render, for each loader. The answer never changes: remember it.
 */
function memoiseTemplateResolution(env: nunjucks.Environment): void {
  const resolving = env as unknown as ResolvingEnvironment;
  const original = resolving.resolveTemplate.bind(resolving);
  // loader → parent template → name → resolved name. Template names come from the templates, so few.
  const resolved = new Map<Loader, Map<string, Map<string, string>>>();
  let entries = 0;
  resolving.resolveTemplate = (loader, parentName, filename) => {
    if (!parentName || typeof filename !== 'string') return original(loader, parentName, filename);
    let byParent = resolved.get(loader);
    if (!byParent) {
      byParent = new Map();
      resolved.set(loader, byParent);
    }
    let byName = byParent.get(parentName);
    if (!byName) {
      byName = new Map();
      byParent.set(parentName, byName);
    }
    let answer = byName.get(filename);
    if (answer === undefined) {
      answer = original(loader, parentName, filename);
      if (entries++ < 10_000) byName.set(filename, answer);
    }
    return answer;
  };
}

type Parser = {
  nextToken(): { value: string };
  parseSignature(throwErrors: null, noParens: boolean): unknown;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
};
type Nodes = {
  CallExtension: new (ext: object, method: string, args: unknown, contentArgs: unknown[]) => unknown;
};

/**
 * `{% fragment "name", value… %}…{% endfragment %}` renders its body once per name and values, then reuses the
 * HTML: for parts of the layout that depend on nothing but the environment's globals and the values named (the
 * GOV.UK header, service navigation, phase banner and footer). Never put anything that depends on the request,
 * the session or the page inside one, unless it is one of the values named.
 */
class FragmentExtension {
  readonly tags = ['fragment'];
  private readonly fragments = new Map<string, unknown>();

  constructor(private readonly enabled: boolean) {}

  parse(parser: Parser, nodes: Nodes) {
    const token = parser.nextToken();
    const args = parser.parseSignature(null, true);
    parser.advanceAfterBlockEnd(token.value);
    const body = parser.parseUntilBlocks('endfragment');
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtension(this, 'run', args, [body]);
  }

  /** The name and any further arguments (values the body depends on, such as serviceUrl) make the key. */
  run(_context: unknown, ...args: unknown[]): unknown {
    const body = args.pop() as () => string;
    if (!this.enabled) return runtime.markSafe(body());
    const key = JSON.stringify(args);
    let html = this.fragments.get(key);
    if (html === undefined) {
      html = runtime.markSafe(body());
      // A bounded number of keys: the arguments are layout globals, never request data.
      if (this.fragments.size >= 100) this.fragments.clear();
      this.fragments.set(key, html);
    }
    return html;
  }
}

/** `{% fragment %}`; with `enabled` false (development, so edits show on reload) it renders its body every time. */
export function addFragmentTag(env: nunjucks.Environment, enabled: boolean): void {
  env.addExtension('fragment', new FragmentExtension(enabled));
}

/** Faster rendering, identical output: Frame.set, macro imports, template-name resolution, `indent`. */
export function speedUpNunjucks(env: nunjucks.Environment): void {
  patchFrameSet();
  patchMacroImports();
  memoiseTemplateResolution(env);
  env.addFilter('indent', indent);
}
