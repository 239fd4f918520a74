/**
 * `router.v1.RouterSpec` on the wire ↔ the YAML-shaped plain object that
 * `validateSpec` takes. Driven by the proto's own reflection, so it follows
 * the contract field by field without a hand-written mapping.
 *
 * Wire → plain (agent side): proto3 cannot tell "unset" from a zero value, so
 * every non-`optional` field holding its zero value ("", 0, false, [], an
 * absent message) is dropped, and the validator fills the default exactly as
 * for a YAML file that leaves the key out. `optional` fields and oneof members
 * are kept whenever present. The virtual oneof keys that @grpc/proto-loader
 * adds (`match`, `_masquerade`) are not fields and never come through.
 *
 * Plain → wire (client side): a proto message silently drops keys it does not
 * know, so this is strict: unknown keys, wrong value types and several
 * members of one oneof are collected as `FieldError`s with YAML paths
 * (`lans[0].dhcp.ranges[1].end`) instead of being lost. Semantic checks stay
 * with the agent's validator.
 */
import protobuf from "protobufjs";
import type { RouterSpec as WireRouterSpec } from "../../../proto/gen/router/v1/RouterSpec.js";
import type { FieldError, Validated } from "../model/types.js";
import { routerProto } from "./proto-loader.js";

export type { WireRouterSpec };

type Plain = Record<string, unknown>;

function specType(): protobuf.Type {
  return routerProto().root.lookupType("router.v1.RouterSpec");
}

/**
 * A decoded wire spec (or null/undefined for "no spec") as a plain object
 * with unset fields left out. Never throws.
 */
export function specFromWire(message: unknown): Plain {
  return isPlainObject(message) ? fromWire(specType(), message) : {};
}

function fromWire(type: protobuf.Type, message: Plain): Plain {
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (field.repeated) {
      if (!Array.isArray(value) || value.length === 0) continue;
      out[field.name] = nested
        ? value.map((item) => (isPlainObject(item) ? fromWire(nested, item) : {}))
        : [...value];
    } else if (nested) {
      if (isPlainObject(value)) out[field.name] = fromWire(nested, value);
    } else if (field.partOf || !isZero(value)) {
      // `partOf` is set for oneof members and proto3 `optional` fields: their
      // presence is on the wire, so a present zero value is meaningful.
      out[field.name] = value;
    }
  }
  return out;
}

function isZero(value: unknown): boolean {
  return value === "" || value === 0 || value === false;
}

/**
 * A YAML-shaped spec as a wire message, or every structural error found.
 * Accepts both raw user input and a validated `RouterSpec`.
 */
export function specToWire(plain: unknown): Validated<WireRouterSpec> {
  const errors: FieldError[] = [];
  const value = toWire(specType(), plain, "", errors);
  if (errors.length > 0 || value === undefined) {
    return {
      ok: false,
      errors: errors.length > 0 ? errors : [{ path: "(root)", message: "expected a mapping" }],
    };
  }
  return { ok: true, value: value as WireRouterSpec };
}

function toWire(
  type: protobuf.Type,
  plain: unknown,
  path: string,
  errors: FieldError[],
): Plain | undefined {
  if (!isPlainObject(plain)) {
    errors.push({ path: path || "(root)", message: "expected a mapping" });
    return undefined;
  }
  const out: Plain = {};
  for (const [key, value] of Object.entries(plain)) {
    const field = type.fields[key];
    const fieldPath = path ? `${path}.${key}` : key;
    if (!field) {
      errors.push({ path: fieldPath, message: "unknown field" });
      continue;
    }
    if (value === undefined || value === null) continue;
    if (field.repeated) {
      if (!Array.isArray(value)) {
        errors.push({ path: fieldPath, message: "expected a list" });
        continue;
      }
      out[key] = value.map((item, i) => toWireValue(field, item, `${fieldPath}[${i}]`, errors));
    } else {
      out[key] = toWireValue(field, value, fieldPath, errors);
    }
  }
  for (const oneof of type.oneofsArray) {
    if (oneof.fieldsArray.length < 2) continue; // a proto3 `optional` field
    const set = oneof.fieldsArray.filter((f) => out[f.name] !== undefined).map((f) => f.name);
    if (set.length > 1) {
      errors.push({ path: path || "(root)", message: `set only one of ${set.join(", ")}` });
    }
  }
  return out;
}

function toWireValue(
  field: protobuf.Field,
  value: unknown,
  path: string,
  errors: FieldError[],
): unknown {
  if (field.resolvedType instanceof protobuf.Type)
    return toWire(field.resolvedType, value, path, errors);
  switch (field.type) {
    case "string":
      if (typeof value === "string") return value;
      errors.push({ path, message: "expected a string" });
      return undefined;
    case "bool":
      if (typeof value === "boolean") return value;
      errors.push({ path, message: "expected true or false" });
      return undefined;
    case "uint32":
    case "uint64": {
      const max = field.type === "uint32" ? 0xffff_ffff : Number.MAX_SAFE_INTEGER;
      if (typeof value !== "number" || !Number.isInteger(value)) {
        errors.push({ path, message: "expected an integer" });
        return undefined;
      }
      if (value < 0 || value > max) {
        errors.push({ path, message: `${value} is outside 0..${max}` });
        return undefined;
      }
      return value;
    }
    default:
      // The spec uses only the types above; a new one must be added here.
      errors.push({ path, message: `unsupported wire type ${field.type}` });
      return undefined;
  }
}

function isPlainObject(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
