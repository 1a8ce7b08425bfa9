// Imported first by the entrypoints: on an older Node, undici and the OpenAI SDK fail deep inside
// their own code (e.g. "createZstdDecompress is not a function"), which says nothing about why.
const REQUIRED: [number, number] = [22, 15];
const [major, minor] = process.versions.node.split('.').map(Number);

if (major < REQUIRED[0] || (major === REQUIRED[0] && minor < REQUIRED[1])) {
  process.stderr.write(
    `arkgate needs Node ${REQUIRED.join('.')} or newer (Node 24 LTS recommended); this is ` +
      `Node ${process.versions.node}. scripts/start.sh installs Node 24 into .tools/ by itself.\n`,
  );
  process.exit(1);
}
