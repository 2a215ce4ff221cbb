// A writer into an S3 repository that saves in a tight loop until it is killed:
// <bucket> <prefix> <blobBytes>. Blobs above 5 MiB go up as multipart uploads.
import { S3Storage } from "@lazyscribe/storage-s3";
import { Repository } from "../dist/index.js";

const [bucket, prefix, blobBytes = "0"] = process.argv.slice(2);
const storage = new S3Storage({ bucket, prefix, multipartThreshold: 5 << 20, partSize: 5 << 20 });
process.stdout.write("ready\n");
for (let round = 0; ; round++) {
  const repo = await Repository.open("repository.json", { storage, mode: "a" });
  repo.logArtifact("crashy", { round, pad: "y".repeat(1024) }, { handler: "json" });
  if (Number(blobBytes) > 0) repo.logArtifact("blob", new Uint8Array(Number(blobBytes)).fill(round % 251), { handler: "bytes" });
  await repo.save();
}
