// transformers.js imports sharp at top level for its image pipelines, which model-cache never
// runs. The stand-in must be truthy: transformers.js refuses to start when it finds no image
// library at all. Calling it explains itself.
export default function sharp() {
  throw new Error("Image processing (sharp) is not part of model-cache");
}
