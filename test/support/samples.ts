/** Test support: sample values of an OpenAPI schema, for evaluating every CEL rule of a CRD bundle. */

/** The part of an OpenAPI schema the samples read. */
export interface SampleSchema {
  'type'?: string;
  'enum'?: unknown[];
  'properties'?: Record<string, SampleSchema>;
  'additionalProperties'?: SampleSchema | boolean;
  'items'?: SampleSchema;
  'x-kubernetes-int-or-string'?: boolean;
}

/**
 * A value of `schema`: minimal (empty objects and lists) or full (every property set, one item
 * per list); `text` is the string a full sample uses.
 */
export function sampleOf(schema: SampleSchema, full: boolean, text: string, depth = 0): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema['x-kubernetes-int-or-string']) return 1;
  switch (schema.type) {
    case 'object': {
      if (!full || depth > 3) return {};
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sampleOf(v, full, text, depth + 1);
      if (typeof schema.additionalProperties === 'object') out.key = sampleOf(schema.additionalProperties, full, text, depth + 1);
      return out;
    }
    case 'array': return full && schema.items ? [sampleOf(schema.items, full, text, depth + 1)] : [];
    case 'integer': return 1;
    case 'number': return 1.5;
    case 'boolean': return true;
    default: return full ? text : '';
  }
}
