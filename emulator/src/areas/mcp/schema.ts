/**
 * The part of JSON Schema the emulator checks MCP tool arguments against ("validated by the tool's
 * `input_schema`"): `type` (one or a list), `required`, `properties` (recursively), `additionalProperties: false`,
 * `enum`, `items`, `minimum` / `maximum`, `minLength` / `maxLength`, `minItems` / `maxItems`. Other keywords are
 * ignored, as a lenient validator would.
 */

/** A JSON Schema object (only the keywords above are read). */
export type JsonSchema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/**
 * Problems with `value` against `schema`, as readable strings naming the path (`arguments.channel is
 * required`). Empty when it conforms.
 */
export function schemaErrors(schema: JsonSchema, value: unknown, path = "arguments"): string[] {
  const errors: string[] = [];
  const types =
    typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.length > 0 && !types.some((t) => matchesType(value, String(t)))) {
    errors.push(`${path} must be ${types.join(" or ")}, got ${typeOf(value)}`);
    return errors;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => Object.is(option, value))) {
    errors.push(`${path} must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(", ")}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      errors.push(`${path} must be >= ${schema.minimum}`);
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      errors.push(`${path} must be <= ${schema.maximum}`);
    }
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) {
      errors.push(`${path} must be at least ${schema.minLength} characters`);
    }
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) {
      errors.push(`${path} must be at most ${schema.maxLength} characters`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      errors.push(`${path} must have at least ${schema.minItems} items`);
    }
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      errors.push(`${path} must have at most ${schema.maxItems} items`);
    }
    const items = schema.items;
    if (items && typeof items === "object" && !Array.isArray(items)) {
      value.forEach((item, i) => errors.push(...schemaErrors(items as JsonSchema, item, `${path}[${i}]`)));
    }
  }
  if (typeOf(value) === "object") {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    for (const name of required) {
      if (record[name] === undefined) errors.push(`${path}.${name} is required`);
    }
    for (const [name, item] of Object.entries(record)) {
      const property = properties[name];
      if (property) errors.push(...schemaErrors(property, item, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${name} is not allowed`);
    }
  }
  return errors;
}
