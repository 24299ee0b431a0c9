#!/usr/bin/env node
"use strict";
/**
 * An offline provider plugin that serves a real provider's schema.
 *
 *   node tofu-check/provider.js --schema <fixture.json> --provider <address> --tls <dir>
 *   node tofu-check/provider.js --schema <fixture.json> --provider <address> --serve
 *
 * Terraform or OpenTofu starts it as it starts any provider (go-plugin,
 * protocol 6, gRPC with AutoMTLS) and gets the schema the real provider would
 * serve, so the core checks every argument, type, block count and reference
 * exactly as it would with the real one. Beyond the schema the plugin knows
 * nothing: it accepts every configuration, plans computed values as unknown,
 * imports by id and never applies. What only the real provider checks
 * (ValidateFuncs, ConflictsWith, API errors) stays with the pipeline.
 *
 * With --serve it runs until its stdin closes, for any number of cores that
 * reattach to it (TF_REATTACH_PROVIDERS, plain gRPC on 127.0.0.1 as in the
 * providers' own debug mode): one process serves every command of a check
 * run, instead of a start of a second or so per command.
 *
 * Plain JavaScript, so that each start costs a node start and no compiler.
 */
const fs = require("node:fs");
const path = require("node:path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");
const { decode, encode } = require("@msgpack/msgpack");
const values = require("./values");

/** go-plugin's handshake: a host that does not send this cookie is not Terraform. */
const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const PROTOCOL_VERSION = 6;

function fail(message) {
  process.stderr.write(`provider plugin: ${message}\n`);
  process.exit(1);
}

const USAGE = "usage: provider.js --schema <file> --provider <address> (--tls <dir> | --serve)";

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (key === "--serve") {
      args.serve = true;
    } else if (["--schema", "--provider", "--tls"].includes(key) && argv[i + 1] !== undefined) {
      args[key.slice(2)] = argv[++i];
    } else {
      fail(`unknown or incomplete argument ${JSON.stringify(key)}; ${USAGE}`);
    }
  }
  for (const key of ["schema", "provider"]) if (!args[key]) fail(`--${key} is required; ${USAGE}`);
  if (!args.serve && !args.tls) fail(`--tls or --serve is required; ${USAGE}`);
  return args;
}

/** Reads the fixture and picks the one provider this plugin serves. */
function loadSchema(file, address) {
  let document;
  try {
    document = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    fail(`schema fixture ${file} cannot be read as JSON: ${error.message}`);
  }
  const schema = document.provider_schemas?.[address];
  if (!schema) fail(`schema fixture ${file} has no provider ${address}`);
  return schema;
}

const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 };

/** A block of the JSON schema format as a tfplugin6 Schema.Block. */
function toBlock(block) {
  return {
    version: 0,
    attributes: Object.entries(block.attributes ?? {}).map(([name, a]) => toAttribute(name, a)),
    block_types: Object.entries(block.block_types ?? {}).map(([name, nested]) => ({
      type_name: name,
      block: toBlock(nested.block),
      nesting: NESTING[nested.nesting_mode],
      min_items: nested.min_items ?? 0,
      max_items: nested.max_items ?? 0,
    })),
    deprecated: block.deprecated ?? false,
  };
}

function toAttribute(name, a) {
  return {
    name,
    type: a.type === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(a.type)),
    nested_type: a.nested_type && {
      attributes: Object.entries(a.nested_type.attributes).map(([n, child]) => toAttribute(n, child)),
      nesting: NESTING[a.nested_type.nesting_mode],
    },
    required: a.required ?? false,
    optional: a.optional ?? false,
    computed: a.computed ?? false,
    sensitive: a.sensitive ?? false,
    deprecated: a.deprecated ?? false,
    write_only: a.write_only ?? false,
  };
}

const toSchema = (entry) => ({ version: entry.version ?? 0, block: toBlock(entry.block) });

function mapValues(record, fn) {
  const out = {};
  for (const [key, value] of Object.entries(record ?? {})) out[key] = fn(value);
  return out;
}

const unpack = (dynamic) =>
  dynamic?.msgpack?.length ? decode(dynamic.msgpack, { useBigInt64: true }) : dynamic?.json?.length ? JSON.parse(dynamic.json) : null;
const pack = (value) => ({ msgpack: Buffer.from(encode(value, { useBigInt64: true, ignoreUndefined: true })) });

function providerService(schema) {
  const resources = schema.resource_schemas ?? {};
  const dataSources = schema.data_source_schemas ?? {};
  const capabilities = { plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false };
  let response;
  const blockOf = (table, kind, typeName) => {
    const entry = table[typeName];
    if (!entry) throw Object.assign(new Error(`no ${kind} schema for ${typeName} in the fixture`), { code: grpc.status.NOT_FOUND });
    return entry.block;
  };
  // Each handler is synchronous; a thrown error reaches the core as the RPC's error.
  const handlers = {
    GetMetadata: () => ({
      server_capabilities: capabilities,
      resources: Object.keys(resources).map((type_name) => ({ type_name })),
      data_sources: Object.keys(dataSources).map((type_name) => ({ type_name })),
    }),
    GetProviderSchema: () =>
      (response ??= {
        provider: toSchema(schema.provider),
        resource_schemas: mapValues(resources, toSchema),
        data_source_schemas: mapValues(dataSources, toSchema),
        server_capabilities: capabilities,
      }),
    ValidateProviderConfig: () => ({}),
    ValidateResourceConfig: () => ({}),
    ValidateDataResourceConfig: () => ({}),
    ConfigureProvider: () => ({}),
    GetFunctions: () => ({}),
    StopProvider: () => ({}),
    UpgradeResourceState: ({ raw_state }) => ({ upgraded_state: { json: raw_state?.json ?? Buffer.from("null") } }),
    ReadResource: ({ current_state, private: priv }) => ({ new_state: current_state, private: priv }),
    PlanResourceChange: ({ type_name, proposed_new_state, prior_private }) => ({
      planned_state: pack(values.plannedState(blockOf(resources, "resource", type_name), unpack(proposed_new_state))),
      planned_private: prior_private,
    }),
    ImportResourceState: ({ type_name, id }) => ({
      imported_resources: [{ type_name, state: pack(values.importedState(blockOf(resources, "resource", type_name), id)) }],
    }),
    ReadDataSource: ({ type_name, config }) => ({
      state: pack(values.dataSourceState(blockOf(dataSources, "data source", type_name), unpack(config))),
    }),
  };
  const implementation = {};
  for (const [name, handler] of Object.entries(handlers)) {
    implementation[name] = (call, callback) => {
      try {
        callback(null, handler(call.request));
      } catch (error) {
        callback({ code: error.code ?? grpc.status.INTERNAL, details: error.message });
      }
    };
  }
  return implementation;
}

function loadProtos() {
  const options = { keepCase: true, longs: Number, enums: Number, defaults: false };
  const load = (file) => grpc.loadPackageDefinition(protoLoader.loadSync(path.join(__dirname, "proto", file), options));
  return { tfplugin6: load("tfplugin6.proto").tfplugin6, plugin: load("go-plugin.proto").plugin, health: load("health.proto").grpc.health.v1 };
}

/** go-plugin's handshake wants the certificate as unpadded base64 of its DER. */
function derBase64(pem) {
  return pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "").replace(/=+$/, "");
}

/** Started by the core: go-plugin's handshake, AutoMTLS, and exit on the controller's Shutdown. */
function startedByCore(args) {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE) {
    fail("this is a Terraform/OpenTofu provider plugin; it is started by `tofu` or `terraform` (or with --serve), not by hand");
  }
  const offered = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? String(PROTOCOL_VERSION)).split(",").map(Number);
  if (!offered.includes(PROTOCOL_VERSION)) fail(`the host offers plugin protocols ${offered.join(",")}; this plugin speaks ${PROTOCOL_VERSION}`);
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  if (!clientCert) fail("PLUGIN_CLIENT_CERT is not set; the host must use AutoMTLS");
  const cert = fs.readFileSync(path.join(args.tls, "cert.pem"), "utf8");
  const key = fs.readFileSync(path.join(args.tls, "key.pem"));
  const credentials = grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: key, cert_chain: Buffer.from(cert) }], true);
  serve(args, credentials, `|${derBase64(cert)}`, true);
  // A host killed by a timeout never calls Shutdown: leave with it.
  const host = process.ppid;
  setInterval(() => {
    try {
      process.kill(host, 0);
    } catch {
      process.exit(1);
    }
  }, 1000).unref();
}

/** --serve: plain gRPC for cores that reattach, until the parent closes stdin. */
function servedForReattach(args) {
  serve(args, grpc.ServerCredentials.createInsecure(), "", false);
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}

function serve(args, credentials, certField, exitOnShutdown) {
  const schema = loadSchema(args.schema, args.provider);
  const protos = loadProtos();
  const server = new grpc.Server();
  server.addService(protos.tfplugin6.Provider.service, providerService(schema));
  server.addService(protos.health.Health.service, {
    Check: (_call, callback) => callback(null, { status: 1 }),
  });
  server.addService(protos.plugin.GRPCController.service, {
    Shutdown: (_call, callback) => {
      callback(null, {});
      if (exitOnShutdown) {
        setImmediate(() => {
          server.forceShutdown();
          process.exit(0);
        });
      }
    },
  });
  server.bindAsync("127.0.0.1:0", credentials, (error, port) => {
    if (error) fail(`cannot listen on 127.0.0.1: ${error.message}`);
    process.stdout.write(`1|${PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc${certField}\n`);
  });
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.serve) servedForReattach(args);
  else startedByCore(args);
}

if (require.main === module) main();

module.exports = { providerService, toBlock, derBase64 };
