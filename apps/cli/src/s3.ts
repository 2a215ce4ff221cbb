/**
 * The S3 backend, bundled as its own file (`dist/lazyscribe-s3.mjs`) and
 * loaded only on the first `s3://` location, so local commands never parse
 * the AWS SDK.
 */
// The SDK warns once per process on Node 20 that its 2027 releases need
// Node 22. That is about the SDK's future, not this command's work: keep it
// out of the CLI's output (only this warning; others still print).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export * from "@lazyscribe/storage-s3";
