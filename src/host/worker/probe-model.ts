/** A tiny Identity graph: creating a session from it proves an onnxruntime starts. */
export const PROBE_MODEL = Uint8Array.from(
  atob("CAcSC21vZGVsLWNhY2hlOjsKEAoBeBIBeSIISWRlbnRpdHkSBXByb2JlWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ=="),
  (c) => c.charCodeAt(0),
);
