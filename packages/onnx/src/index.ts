export { isHeartError } from '@heart/internal';
export { OnnxError, type OnnxErrorCode, type OnnxErrorOptions } from './errors.js';
export { type ExportOnnxOptions, exportOnnx, ONNX_OUTPUTS, ONNX_TARGET } from './export-onnx.js';
