#!/usr/bin/env python3
"""Checks ONNX files with the onnx package's checker, as mlflow.onnx.load_model does.

Usage: /usr/bin/python3 scripts/check-onnx.py model.onnx [more.onnx ...]
Prints one JSON line: {"onnx_version": "1.12.0", "files": [{"file", "ok", "error"?, "ir_version",
"opsets", "inputs", "outputs"}]}. Exit 0 when every file passes, 1 when one fails, 2 when the onnx
package is missing (Debian: apt-get install -y python3-onnx).
"""
import json
import sys

try:
    import onnx
    from onnx import checker, shape_inference
except ImportError as error:  # the caller turns this into a skip with its own message
    print(json.dumps({"missing": str(error)}))
    sys.exit(2)


def describe(value_info):
    tensor = value_info.type.tensor_type
    dims = [d.dim_param or d.dim_value for d in tensor.shape.dim]
    return [value_info.name, onnx.TensorProto.DataType.Name(tensor.elem_type), dims]


def check(path):
    result = {"file": path}
    try:
        model = onnx.load(path)
        checker.check_model(model, full_check=True)
        inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        result.update(
            ok=True,
            ir_version=model.ir_version,
            opsets={o.domain: o.version for o in model.opset_import},
            inputs=[describe(v) for v in inferred.graph.input],
            outputs=[describe(v) for v in inferred.graph.output],
            nodes=len(model.graph.node),
        )
    except Exception as error:  # report every failure as data
        result.update(ok=False, error=f"{type(error).__name__}: {error}")
    return result


def main(paths):
    files = [check(path) for path in paths]
    print(json.dumps({"onnx_version": onnx.__version__, "files": files}))
    return 0 if files and all(item["ok"] for item in files) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
