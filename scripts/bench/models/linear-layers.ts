/**
 * Seeded weights and the layers of the benchmark transformer: linear layers in fp32 or
 * dynamically quantised to int8 (the pattern onnxruntime's `quantize_dynamic` writes:
 * DynamicQuantizeLinear → MatMulInteger → Cast → Mul, which onnxruntime fuses into one kernel),
 * and LayerNorm spelled out as a PyTorch export spells it (onnxruntime fuses it back).
 */
import { endianness } from "node:os";
import { ElemType, type GraphBuilder } from "../../demo-models/onnx-graph.ts";
import { mulberry32 } from "../../demo-models/prng.ts";

if (endianness() !== "LE") throw new Error("the benchmark models are written from little-endian memory");

/** Weights of one model: a seeded generator and whether linear layers are quantised. */
export interface WeightSource {
  random: () => number;
  int8: boolean;
}

/** A generator of weights for the given seed. */
export function weightSource(seed: number, int8: boolean): WeightSource {
  return { random: mulberry32(seed), int8 };
}

/** `count` floats, uniform with standard deviation `std` (BERT initialises at 0.02). */
export function seededFloats(source: WeightSource, count: number, std = 0.02): Float32Array {
  const half = std * Math.sqrt(3);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (source.random() * 2 - 1) * half;
  return values;
}

function bytesOf(values: Float32Array | Int8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A float32 initializer written straight from memory (no per-element copy). */
export function floatWeights(g: GraphBuilder, name: string, dims: number[], values: Float32Array): string {
  return g.rawTensor(name, dims, ElemType.FLOAT, bytesOf(values));
}

/**
 * Largest int8 weight: 7 bits, as `quantize_dynamic(..., reduce_range=True)` writes. With the
 * full 8 bits, onnxruntime's uint8 × int8 kernels on AVX2 without VNNI saturate their pairwise
 * sums, and native and WASM answers drift apart (measured: 0.048 against 0.014).
 */
const INT8_LIMIT = 63;

/** Symmetric per-tensor int8 (reduced range): the values, their scale, and a zero point of 0. */
export function quantizeInt8(values: Float32Array): { data: Int8Array; scale: number } {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  const scale = max === 0 ? 1 : max / INT8_LIMIT;
  const data = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.max(-INT8_LIMIT, Math.min(INT8_LIMIT, Math.round(values[i]! / scale)));
  return { data, scale };
}

/** An int8 initializer, its float scale and int8 zero point; returns their names. */
export function int8Weights(g: GraphBuilder, name: string, dims: number[], values: Float32Array): { q: string; scale: string; zero: string } {
  const { data, scale } = quantizeInt8(values);
  return {
    q: g.rawTensor(`${name}_quantized`, dims, ElemType.INT8, bytesOf(data)),
    scale: g.floatTensor(`${name}_scale`, [], [scale]),
    zero: g.rawTensor(`${name}_zero_point`, [], ElemType.INT8, new Uint8Array(1)),
  };
}

/** y = x·W + b for W [inDim, outDim], fp32 or dynamically quantised. */
export function linear(g: GraphBuilder, source: WeightSource, x: string, name: string, inDim: number, outDim: number): string {
  const weight = seededFloats(source, inDim * outDim);
  const bias = floatWeights(g, `${name}.bias`, [outDim], seededFloats(source, outDim));
  if (!source.int8) return g.node("Add", [g.node("MatMul", [x, floatWeights(g, `${name}.weight`, [inDim, outDim], weight)]), bias]);
  const w = int8Weights(g, `${name}.weight`, [inDim, outDim], weight);
  const [xq, xScale, xZero] = g.nodeMulti("DynamicQuantizeLinear", [x], 3);
  const product = g.node("MatMulInteger", [xq!, w.q, xZero!, w.zero]);
  const scale = g.node("Mul", [xScale!, w.scale]);
  const y = g.node("Mul", [g.node("Cast", [product], { to: { int: ElemType.FLOAT } }), scale]);
  return g.node("Add", [y, bias]);
}

/** LayerNorm over the last axis (γ = 1, β = 0 as initialised), as ReduceMean/Sub/Pow/Sqrt/Div. */
export function layerNorm(g: GraphBuilder, x: string, name: string, dim: number): string {
  const gamma = floatWeights(g, `${name}.weight`, [dim], new Float32Array(dim).fill(1));
  const beta = floatWeights(g, `${name}.bias`, [dim], new Float32Array(dim));
  const mean = g.node("ReduceMean", [x], { axes: { ints: [-1] } });
  const centred = g.node("Sub", [x, mean]);
  const variance = g.node("ReduceMean", [g.node("Pow", [centred, g.floatConst(2)])], { axes: { ints: [-1] } });
  const std = g.node("Sqrt", [g.node("Add", [variance, g.floatConst(1e-12)])]);
  return g.node("Add", [g.node("Mul", [g.node("Div", [centred, std]), gamma]), beta]);
}

/** GELU as x · ½ · (1 + erf(x / √2)), the exact form PyTorch exports. */
export function gelu(g: GraphBuilder, x: string): string {
  const erf = g.node("Erf", [g.node("Div", [x, g.floatConst(Math.SQRT2)])]);
  return g.node("Mul", [g.node("Mul", [x, g.node("Add", [erf, g.floatConst(1)])]), g.floatConst(0.5)]);
}
