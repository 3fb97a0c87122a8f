#!/usr/bin/env node
process.stdout.write('devhost: not built yet\n');
