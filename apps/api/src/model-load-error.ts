/**
 * A model that cannot be served, with the file at fault and what to do.
 *
 * @example
 * throw new ModelLoadError('/models/model.onnx is 90 MB, over MODEL_MAX_BYTES', '/models/model.onnx');
 */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
