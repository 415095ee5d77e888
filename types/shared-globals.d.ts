/**
 * The one web-platform global shared/ uses, present in Node and in browsers alike but in no ES
 * lib: declared here so tsconfig.shared.json can compile shared/ with neither Node nor DOM types.
 */
interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
