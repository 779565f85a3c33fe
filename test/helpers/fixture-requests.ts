/**
 * The two passengers documented for the skl2onnx titanic pipelines (SOURCE.md): expected labels
 * [1, 0], probabilities [[0.1145, 0.8855], [0.8555, 0.1445]]; the second one's age is missing
 * (NaN, imputed by the model). `pclass` is INT64 in the no-ZipMap export, a string in the other.
 */
export function titanicInputs(pclass: "INT64" | "BYTES" = "INT64") {
  return [
    { name: "pclass", datatype: pclass, shape: [2, 1], data: pclass === "INT64" ? [1, 3] : ["1", "3"] },
    { name: "sex", datatype: "BYTES", shape: [2, 1], data: ["female", "male"] },
    { name: "age", datatype: "FP32", shape: [2, 1], data: [29, "NaN"] },
    { name: "fare", datatype: "FP32", shape: [2, 1], data: [211.3375, 7.25] },
    { name: "embarked", datatype: "BYTES", shape: [2, 1], data: ["S", "missing"] },
  ];
}
