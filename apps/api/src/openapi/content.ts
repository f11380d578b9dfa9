/**
 * `{ schema, examples }` as the JSON content of a request or an answer.
 *
 * @example
 * json({ $ref: '#/components/schemas/Patient' }); // { 'application/json': { schema: … } }
 */
export const json = (schema: Record<string, unknown>, examples?: Record<string, unknown>) => ({
  'application/json': { schema, ...(examples ? { examples } : {}) },
});

/**
 * Answers by status, each with its description and the given error schema.
 *
 * @example
 * errorResponses({ '503': 'No model loaded yet' });
 */
export function errorResponses(
  codes: Record<string, string>,
  schema = '#/components/schemas/Error',
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(codes).map(([status, description]) => [
      status,
      { description, content: json({ $ref: schema }) },
    ]),
  );
}
