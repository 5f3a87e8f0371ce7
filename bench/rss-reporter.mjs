// Preloaded with --import: reports this process's peak RSS (KiB) on stderr at exit.
process.on('exit', () => process.stderr.write(`\nMNTNS_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`));
