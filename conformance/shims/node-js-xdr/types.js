// SPDX-License-Identifier: Apache-2.0
'use strict';
/*
 * types.js: the qemud protocol as a js-xdr type table, written by hand from
 * the protocol description (this shim plays a third party, so it does not
 * read protocol.x).
 *
 * js-xdr has no C char. rpcgen sends each element of a char[N] or
 * unsigned char[N] as a whole 4-byte XDR int (xdr_char / xdr_u_char), so such
 * arrays are declared here as fixed arrays of ints. CharWord and UCharWord
 * are js-xdr's Int and UnsignedInt under another name: they encode and
 * decode exactly the same, and exist only so that shim.js can tell a char
 * array (a hex string in JSON) from an int32_t array (a JSON array). A
 * typedef would not do: js-xdr resolves it to the very same class.
 */
const xdr = require('@stellar/js-xdr');

class CharWord extends xdr.Int {}
class UCharWord extends xdr.UnsignedInt {}

const QEMUD_UUID_RAW_LEN = 16;
const QEMUD_MAX_NAME_LEN = 50;
const QEMUD_MAX_XML_LEN = 4096;
const QEMUD_MAX_IFNAME_LEN = 50;
const QEMUD_MAX_NUM_DOMAINS = 100;
const QEMUD_MAX_DOMAINS_NAME_BUF = 5000;
const QEMUD_MAX_NETWORKS_NAME_BUF = 5000;
const QEMUD_MAX_ERROR_LEN = 1024;
const PATH_MAX = 4096;

// Union arms in enum order: [enum name] for a void arm, or
// [enum name, arm member, struct]. The enum value is the position.
const CLIENT_ARMS = [
  ['QEMUD_CLIENT_PKT_GET_VERSION'],
  ['QEMUD_CLIENT_PKT_GET_NODEINFO'],
  ['QEMUD_CLIENT_PKT_LIST_DOMAINS'],
  ['QEMUD_CLIENT_PKT_NUM_DOMAINS'],
  ['QEMUD_CLIENT_PKT_DOMAIN_CREATE', 'domainCreateRequest', 'qemud_packet_domain_create_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID', 'domainLookupByIDRequest', 'qemud_packet_domain_lookup_by_id_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID', 'domainLookupByUUIDRequest', 'qemud_packet_domain_lookup_by_uuid_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME', 'domainLookupByNameRequest', 'qemud_packet_domain_lookup_by_name_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_SUSPEND', 'domainSuspendRequest', 'qemud_packet_domain_suspend_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_RESUME', 'domainResumeRequest', 'qemud_packet_domain_resume_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_DESTROY', 'domainDestroyRequest', 'qemud_packet_domain_destroy_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_GET_INFO', 'domainGetInfoRequest', 'qemud_packet_domain_get_info_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_SAVE', 'domainSaveRequest', 'qemud_packet_domain_save_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_RESTORE', 'domainRestoreRequest', 'qemud_packet_domain_restore_request'],
  ['QEMUD_CLIENT_PKT_DUMP_XML', 'domainDumpXMLRequest', 'qemud_packet_domain_dump_xml_request'],
  ['QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS'],
  ['QEMUD_CLIENT_PKT_NUM_DEFINED_DOMAINS'],
  ['QEMUD_CLIENT_PKT_DOMAIN_START', 'domainStartRequest', 'qemud_packet_domain_start_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_DEFINE', 'domainDefineRequest', 'qemud_packet_domain_define_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_UNDEFINE', 'domainUndefineRequest', 'qemud_packet_domain_undefine_request'],
  ['QEMUD_CLIENT_PKT_NUM_NETWORKS'],
  ['QEMUD_CLIENT_PKT_LIST_NETWORKS'],
  ['QEMUD_CLIENT_PKT_NUM_DEFINED_NETWORKS'],
  ['QEMUD_CLIENT_PKT_LIST_DEFINED_NETWORKS'],
  ['QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_UUID', 'networkLookupByUUIDRequest', 'qemud_packet_network_lookup_by_uuid_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_NAME', 'networkLookupByNameRequest', 'qemud_packet_network_lookup_by_name_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_CREATE', 'networkCreateRequest', 'qemud_packet_network_create_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_DEFINE', 'networkDefineRequest', 'qemud_packet_network_define_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_UNDEFINE', 'networkUndefineRequest', 'qemud_packet_network_undefine_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_START', 'networkStartRequest', 'qemud_packet_network_start_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_DESTROY', 'networkDestroyRequest', 'qemud_packet_network_destroy_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_DUMP_XML', 'networkDumpXMLRequest', 'qemud_packet_network_dump_xml_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_GET_BRIDGE_NAME', 'networkGetBridgeNameRequest', 'qemud_packet_network_get_bridge_name_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_GET_AUTOSTART', 'domainGetAutostartRequest', 'qemud_packet_domain_get_autostart_request'],
  ['QEMUD_CLIENT_PKT_DOMAIN_SET_AUTOSTART', 'domainSetAutostartRequest', 'qemud_packet_domain_set_autostart_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_GET_AUTOSTART', 'networkGetAutostartRequest', 'qemud_packet_network_get_autostart_request'],
  ['QEMUD_CLIENT_PKT_NETWORK_SET_AUTOSTART', 'networkSetAutostartRequest', 'qemud_packet_network_set_autostart_request'],
  ['QEMUD_CLIENT_PKT_GET_CAPABILITIES'],
];

const SERVER_ARMS = [
  ['QEMUD_SERVER_PKT_FAILURE', 'failureReply', 'qemud_packet_failure_reply'],
  ['QEMUD_SERVER_PKT_GET_VERSION', 'getVersionReply', 'qemud_packet_get_version_reply'],
  ['QEMUD_SERVER_PKT_GET_NODEINFO', 'getNodeInfoReply', 'qemud_packet_get_node_info_reply'],
  ['QEMUD_SERVER_PKT_LIST_DOMAINS', 'listDomainsReply', 'qemud_packet_list_domains_reply'],
  ['QEMUD_SERVER_PKT_NUM_DOMAINS', 'numDomainsReply', 'qemud_packet_num_domains_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_CREATE', 'domainCreateReply', 'qemud_packet_domain_create_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_LOOKUP_BY_ID', 'domainLookupByIDReply', 'qemud_packet_domain_lookup_by_id_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_LOOKUP_BY_UUID', 'domainLookupByUUIDReply', 'qemud_packet_domain_lookup_by_uuid_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_LOOKUP_BY_NAME', 'domainLookupByNameReply', 'qemud_packet_domain_lookup_by_name_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_SUSPEND'],
  ['QEMUD_SERVER_PKT_DOMAIN_RESUME'],
  ['QEMUD_SERVER_PKT_DOMAIN_DESTROY'],
  ['QEMUD_SERVER_PKT_DOMAIN_GET_INFO', 'domainGetInfoReply', 'qemud_packet_domain_get_info_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_SAVE'],
  ['QEMUD_SERVER_PKT_DOMAIN_RESTORE', 'domainRestoreReply', 'qemud_packet_domain_restore_reply'],
  ['QEMUD_SERVER_PKT_DUMP_XML', 'domainDumpXMLReply', 'qemud_packet_domain_dump_xml_reply'],
  ['QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS', 'listDefinedDomainsReply', 'qemud_packet_list_defined_domains_reply'],
  ['QEMUD_SERVER_PKT_NUM_DEFINED_DOMAINS', 'numDefinedDomainsReply', 'qemud_packet_num_defined_domains_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_START', 'domainStartReply', 'qemud_packet_domain_start_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_DEFINE', 'domainDefineReply', 'qemud_packet_domain_define_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_UNDEFINE'],
  ['QEMUD_SERVER_PKT_NUM_NETWORKS', 'numNetworksReply', 'qemud_packet_num_networks_reply'],
  ['QEMUD_SERVER_PKT_LIST_NETWORKS', 'listNetworksReply', 'qemud_packet_list_networks_reply'],
  ['QEMUD_SERVER_PKT_NUM_DEFINED_NETWORKS', 'numDefinedNetworksReply', 'qemud_packet_num_defined_networks_reply'],
  ['QEMUD_SERVER_PKT_LIST_DEFINED_NETWORKS', 'listDefinedNetworksReply', 'qemud_packet_list_defined_networks_reply'],
  ['QEMUD_SERVER_PKT_NETWORK_LOOKUP_BY_UUID', 'networkLookupByUUIDReply', 'qemud_packet_network_lookup_by_uuid_reply'],
  ['QEMUD_SERVER_PKT_NETWORK_LOOKUP_BY_NAME', 'networkLookupByNameReply', 'qemud_packet_network_lookup_by_name_reply'],
  ['QEMUD_SERVER_PKT_NETWORK_CREATE', 'networkCreateReply', 'qemud_packet_network_create_reply'],
  ['QEMUD_SERVER_PKT_NETWORK_DEFINE', 'networkDefineReply', 'qemud_packet_network_define_reply'],
  ['QEMUD_SERVER_PKT_NETWORK_UNDEFINE'],
  ['QEMUD_SERVER_PKT_NETWORK_START'],
  ['QEMUD_SERVER_PKT_NETWORK_DESTROY'],
  ['QEMUD_SERVER_PKT_NETWORK_DUMP_XML', 'networkDumpXMLReply', 'qemud_packet_network_dump_xml_reply'],
  ['QEMUD_SERVER_PKT_NETWORK_GET_BRIDGE_NAME', 'networkGetBridgeNameReply', 'qemud_packet_network_get_bridge_name_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_GET_AUTOSTART', 'domainGetAutostartReply', 'qemud_packet_domain_get_autostart_reply'],
  ['QEMUD_SERVER_PKT_DOMAIN_SET_AUTOSTART'],
  ['QEMUD_SERVER_PKT_NETWORK_GET_AUTOSTART', 'networkGetAutostartReply', 'qemud_packet_network_get_autostart_reply'],
  ['QEMUD_SERVER_PKT_NETWORK_SET_AUTOSTART'],
  ['QEMUD_SERVER_PKT_GET_CAPABILITIES', 'getCapabilitiesReply', 'qemud_packet_get_capabilities_reply'],
];

// defineUnion declares the discriminant enum (values 0.., then the ..._MAX
// count, which is not an arm) and the union switching on it as "type".
// js-xdr rejects a discriminant without a switch ("Bad union switch").
function defineUnion(x, unionName, enumName, arms, maxName) {
  const values = Object.fromEntries(arms.map(([name], i) => [name, i]));
  values[maxName] = arms.length;
  x.enum(enumName, values);
  x.union(unionName, {
    switchOn: x.lookup(enumName),
    switchName: 'type',
    switches: arms.map(([name, member]) => [name, member || x.void()]),
    arms: Object.fromEntries(arms.filter((arm) => arm[1]).map(([, member, struct]) => [member, x.lookup(struct)])),
  });
}

const types = xdr.config((x) => {
  const char = (n) => x.array(CharWord, n);
  const uchar = (n) => x.array(UCharWord, n);
  const uuid = ['uuid', uchar(QEMUD_UUID_RAW_LEN)];
  const name = ['name', char(QEMUD_MAX_NAME_LEN)];
  const xml = ['xml', char(QEMUD_MAX_XML_LEN)];
  const id = ['id', x.int()];
  const autostart = ['autostart', x.uint()];

  x.struct('qemud_packet_failure_reply', [['code', x.uint()], ['message', char(QEMUD_MAX_ERROR_LEN)]]);
  x.struct('qemud_packet_get_version_reply', [['versionNum', x.uint()]]);
  x.struct('qemud_packet_get_node_info_reply', [
    ['model', char(32)],
    ['memory', x.uint()],
    ['cpus', x.uint()],
    ['mhz', x.uint()],
    ['nodes', x.uint()],
    ['sockets', x.uint()],
    ['cores', x.uint()],
    ['threads', x.uint()],
  ]);
  x.struct('qemud_packet_list_domains_reply', [
    ['numDomains', x.int()],
    ['domains', x.array(x.int(), QEMUD_MAX_NUM_DOMAINS)],
  ]);
  x.struct('qemud_packet_num_domains_reply', [['numDomains', x.int()]]);
  x.struct('qemud_packet_domain_create_request', [xml]);
  x.struct('qemud_packet_domain_create_reply', [id, uuid, name]);
  x.struct('qemud_packet_domain_lookup_by_id_request', [id]);
  x.struct('qemud_packet_domain_lookup_by_id_reply', [uuid, name]);
  x.struct('qemud_packet_domain_lookup_by_name_request', [name]);
  x.struct('qemud_packet_domain_lookup_by_name_reply', [id, uuid]);
  x.struct('qemud_packet_domain_lookup_by_uuid_request', [uuid]);
  x.struct('qemud_packet_domain_lookup_by_uuid_reply', [id, name]);
  x.struct('qemud_packet_domain_suspend_request', [id]);
  x.struct('qemud_packet_domain_resume_request', [id]);
  x.struct('qemud_packet_domain_destroy_request', [id]);
  x.struct('qemud_packet_domain_get_info_request', [uuid]);
  x.struct('qemud_packet_domain_get_info_reply', [
    ['cpuTime', x.uhyper()],
    ['runstate', x.uint()],
    ['memory', x.uint()],
    ['maxmem', x.uint()],
    ['nrVirtCpu', x.uint()],
  ]);
  x.struct('qemud_packet_domain_save_request', [id, ['file', char(PATH_MAX)]]);
  x.struct('qemud_packet_domain_restore_request', [['file', char(PATH_MAX)]]);
  x.struct('qemud_packet_domain_restore_reply', [id]);
  x.struct('qemud_packet_domain_dump_xml_request', [uuid]);
  x.struct('qemud_packet_domain_dump_xml_reply', [xml]);
  x.struct('qemud_packet_list_defined_domains_reply', [
    ['numDomains', x.uint()],
    ['domains', char(QEMUD_MAX_DOMAINS_NAME_BUF)],
  ]);
  x.struct('qemud_packet_num_defined_domains_reply', [['numDomains', x.uint()]]);
  x.struct('qemud_packet_domain_start_request', [uuid]);
  x.struct('qemud_packet_domain_start_reply', [id]);
  x.struct('qemud_packet_domain_define_request', [xml]);
  x.struct('qemud_packet_domain_define_reply', [uuid, name]);
  x.struct('qemud_packet_domain_undefine_request', [uuid]);
  x.struct('qemud_packet_num_networks_reply', [['numNetworks', x.uint()]]);
  x.struct('qemud_packet_list_networks_reply', [
    ['numNetworks', x.uint()],
    ['networks', char(QEMUD_MAX_NETWORKS_NAME_BUF)],
  ]);
  x.struct('qemud_packet_num_defined_networks_reply', [['numNetworks', x.uint()]]);
  x.struct('qemud_packet_list_defined_networks_reply', [
    ['numNetworks', x.uint()],
    ['networks', char(QEMUD_MAX_NETWORKS_NAME_BUF)],
  ]);
  x.struct('qemud_packet_network_lookup_by_name_request', [name]);
  x.struct('qemud_packet_network_lookup_by_name_reply', [id, uuid]);
  x.struct('qemud_packet_network_lookup_by_uuid_request', [uuid]);
  x.struct('qemud_packet_network_lookup_by_uuid_reply', [id, name]);
  x.struct('qemud_packet_network_create_request', [xml]);
  x.struct('qemud_packet_network_create_reply', [uuid, name]);
  x.struct('qemud_packet_network_define_request', [xml]);
  x.struct('qemud_packet_network_define_reply', [uuid, name]);
  x.struct('qemud_packet_network_undefine_request', [uuid]);
  x.struct('qemud_packet_network_start_request', [uuid]);
  x.struct('qemud_packet_network_destroy_request', [uuid]);
  x.struct('qemud_packet_network_dump_xml_request', [uuid]);
  x.struct('qemud_packet_network_dump_xml_reply', [xml]);
  x.struct('qemud_packet_network_get_bridge_name_request', [uuid]);
  x.struct('qemud_packet_network_get_bridge_name_reply', [['ifname', char(QEMUD_MAX_IFNAME_LEN)]]);
  x.struct('qemud_packet_domain_get_autostart_request', [uuid]);
  x.struct('qemud_packet_domain_get_autostart_reply', [autostart]);
  x.struct('qemud_packet_domain_set_autostart_request', [uuid, autostart]);
  x.struct('qemud_packet_network_get_autostart_request', [uuid]);
  x.struct('qemud_packet_network_get_autostart_reply', [autostart]);
  x.struct('qemud_packet_network_set_autostart_request', [uuid, autostart]);
  x.struct('qemud_packet_get_capabilities_reply', [xml]);

  defineUnion(x, 'qemud_packet_client_data', 'qemud_packet_client_data_type', CLIENT_ARMS, 'QEMUD_CLIENT_PKT_MAX');
  defineUnion(x, 'qemud_packet_server_data', 'qemud_packet_server_data_type', SERVER_ARMS, 'QEMUD_SERVER_PKT_MAX');

  x.struct('qemud_packet_client', [['serial', x.uint()], ['data', x.lookup('qemud_packet_client_data')]]);
  x.struct('qemud_packet_server', [
    ['serial', x.uint()],
    ['inReplyTo', x.uint()],
    ['data', x.lookup('qemud_packet_server_data')],
  ]);
  // The two framing profiles' headers: seed (magic, then the payload
  // length) and libvirt 0.3.x (the total length, header included, then the
  // program number).
  x.struct('qemud_packet_header', [['magic', x.uint()], ['length', x.uint()]]);
  x.struct('qemud_packet_header_libvirt_0_3', [['length', x.uint()], ['prog', x.uint()]]);
});

// A framing profile: its header struct (the two words in wire order), the
// member that holds the constant 0x20001A64, and whether `length` counts the
// 8 header bytes. shim.js encodes and decodes every header from this table.
const FRAMINGS = {
  seed: { header: types.qemud_packet_header, constant: 'magic', lengthCountsHeader: false },
  'libvirt-0.3': { header: types.qemud_packet_header_libvirt_0_3, constant: 'prog', lengthCountsHeader: true },
};

module.exports = {
  types,
  FRAMINGS,
  CharWord,
  UCharWord,
  QEMUD_PKT_HEADER_MAGIC: 0x20001a64,
  QEMUD_PKT_HEADER_XDR_LEN: 8,
  // The largest payload of each direction: client DOMAIN_SAVE, server LIST_DEFINED_DOMAINS.
  MAX_PAYLOAD: { client: 16396, server: 20016 },
  // The smallest: a void arm.
  MIN_PAYLOAD: { client: 8, server: 12 },
};
