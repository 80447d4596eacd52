// Preload (`node --import ./bench/report-rss.mjs ...`): prints the process's peak resident set size
// on exit, so the import bench and the importer's memory test can read it from any child process.
process.on('exit', () => {
  process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
