import { readFields, text, WireFormatError, type WireField } from "./protobufReader.js";
import { OnnxFormatError } from "./errors.js";

/** A graph input or output: name, element type and shape (`"batch"` for a named dimension, null if unknown). */
export interface OnnxValueInfo {
  name: string;
  type: string;
  shape: (number | string | null)[] | null;
}

/** What an ONNX model declares, read from its header without onnxruntime. */
export interface OnnxModelDescription {
  irVersion: number;
  /** Operator sets; the default domain is `""` (`ai.onnx`). */
  opsets: { domain: string; version: number }[];
  producer: string;
  graph: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

// TensorProto.DataType
const ELEM_TYPES = ["undefined", "float32", "uint8", "int8", "uint16", "int16", "int32", "int64", "string", "bool", "float16", "float64", "uint32", "uint64", "complex64", "complex128", "bfloat16"];

/**
 * Describe a serialized ONNX `ModelProto`: IR version, opsets, producer and
 * the graph's inputs (initializers left out) and outputs. Throws
 * {@link OnnxFormatError} when the bytes are not an ONNX model.
 *
 * @example
 * describeOnnxModel(await repo.loadArtifact("model", { as: "bytes" })).opsets; // [{ domain: "", version: 13 }]
 */
export function describeOnnxModel(bytes: Uint8Array): OnnxModelDescription {
  try {
    const model = readFields(bytes);
    const desc: OnnxModelDescription = { irVersion: 0, opsets: [], producer: "", graph: "", inputs: [], outputs: [] };
    let graph: WireField[] | null = null;
    let producerVersion = "";
    for (const f of model) {
      if (f.field === 1 && f.wire === 0) desc.irVersion = Number(f.value);
      else if (f.field === 2) desc.producer = text(f);
      else if (f.field === 3) producerVersion = text(f);
      else if (f.field === 7 && f.wire === 2) graph = readFields(f.bytes);
      else if (f.field === 8 && f.wire === 2) {
        let domain = "";
        let version = 0;
        for (const o of readFields(f.bytes)) {
          if (o.field === 1) domain = text(o);
          else if (o.field === 2 && o.wire === 0) version = Number(o.value);
        }
        desc.opsets.push({ domain, version });
      }
    }
    if (producerVersion) desc.producer = `${desc.producer} ${producerVersion}`.trim();
    if (!graph || desc.irVersion <= 0 || desc.opsets.length === 0) {
      throw new OnnxFormatError("not an ONNX model: it has no graph, IR version or opset (is this the right file?)");
    }
    const initializers = new Set<string>();
    for (const g of graph) {
      if (g.field === 2) desc.graph = text(g);
      else if (g.field === 5 && g.wire === 2) for (const t of readFields(g.bytes)) if (t.field === 8) initializers.add(text(t));
    }
    for (const g of graph) {
      if (g.wire !== 2) continue;
      if (g.field === 11) desc.inputs.push(valueInfo(g.bytes));
      else if (g.field === 12) desc.outputs.push(valueInfo(g.bytes));
    }
    desc.inputs = desc.inputs.filter((i) => !initializers.has(i.name));
    return desc;
  } catch (err) {
    if (err instanceof OnnxFormatError) throw err;
    if (err instanceof WireFormatError) throw new OnnxFormatError(`not an ONNX model: the protobuf does not parse (${err.message})`, { cause: err });
    throw err;
  }
}

function valueInfo(bytes: Uint8Array): OnnxValueInfo {
  const info: OnnxValueInfo = { name: "", type: "unknown", shape: null };
  for (const f of readFields(bytes)) {
    if (f.field === 1) info.name = text(f);
    else if (f.field === 2 && f.wire === 2) {
      // TypeProto.tensor_type (1): elem_type (1), shape (2) of dims (1) with dim_value (1) or dim_param (2).
      for (const t of readFields(f.bytes)) {
        if (t.field !== 1 || t.wire !== 2) {
          if (t.wire === 2 && t.field !== 6) info.type = "non-tensor";
          continue;
        }
        for (const tt of readFields(t.bytes)) {
          if (tt.field === 1 && tt.wire === 0) info.type = ELEM_TYPES[Number(tt.value)] ?? `type ${tt.value}`;
          else if (tt.field === 2 && tt.wire === 2) {
            info.shape = [];
            for (const d of readFields(tt.bytes)) {
              if (d.field !== 1 || d.wire !== 2) continue;
              let dim: number | string | null = null;
              for (const v of readFields(d.bytes)) {
                if (v.field === 1 && v.wire === 0) dim = Number(v.value);
                else if (v.field === 2) dim = text(v);
              }
              info.shape.push(dim);
            }
          }
        }
      }
    }
  }
  return info;
}
