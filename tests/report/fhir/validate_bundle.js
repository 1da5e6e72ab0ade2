#!/usr/bin/env node
// Validates FHIR R4 JSON files with an independent validator (the `fhir` npm package, FHIR.js):
// structure, cardinality, data types and required bindings of every resource in a bundle.
//
//   node validate_bundle.js <node_modules dir> <file.json>...
//
// Exit 0 when every file is valid (other messages are summarised), 1 with every error message
// when one is not, 2 on bad use.
'use strict';

const fs = require('fs');
const path = require('path');

if (process.argv.length < 4) {
    console.error('usage: validate_bundle.js <node_modules dir> <file.json>...');
    process.exit(2);
}
const modules = path.resolve(process.argv[2]);
const { Fhir } = require(path.join(modules, 'fhir'));
const version = require(path.join(modules, 'fhir', 'package.json')).version;
const fhir = new Fhir();

let failed = false;
for (const file of process.argv.slice(3)) {
    let resource;
    try {
        resource = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
        console.error(`${file}: cannot read as JSON: ${e.message}`);
        failed = true;
        continue;
    }
    const started = Date.now();
    const result = fhir.validate(resource, { errorOnUnexpected: true });
    const elapsed = Date.now() - started;
    const errors = result.messages.filter((m) => m.severity === 'error' || m.severity === 'fatal');
    for (const m of errors) {
        console.error(`${file}: ${m.severity}: ${m.location || '(root)'}: ${m.message}`);
    }
    // Other messages once each. Codes "not found in value set" come from example bindings
    // (observation-codes) that the validator cannot expand: counted, not listed one by one.
    const others = new Map();
    for (const m of result.messages) {
        if (m.severity !== 'error' && m.severity !== 'fatal') {
            const key = /not found in value set/.test(m.message)
                ? `${m.severity}: code not in a value set the validator can expand (example binding)`
                : `${m.severity}: ${m.message}`;
            others.set(key, (others.get(key) || 0) + 1);
        }
    }
    for (const [key, count] of others) {
        console.log(`${path.basename(file)}: ${key} (${count}x)`);
    }
    const entries = Array.isArray(resource.entry) ? resource.entry.length : 0;
    console.log(`${path.basename(file)}: ${resource.resourceType} with ${entries} entries: ` +
                `${errors.length} error(s) [fhir ${version}, ${elapsed} ms]`);
    if (!result.valid || errors.length > 0) {
        failed = true;
    }
}
process.exit(failed ? 1 : 0);
