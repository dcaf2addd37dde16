import { describe, expect, test } from 'vitest';
import { containerFormatUsesSize, displayablePorts, emptyContainerContext } from './container.ts';
import { checkFormatFor, ellipsis, finalFormat, FormatError, headerContext, renderFormat, rowContext, truncateID } from './formatter.ts';
import { formatEventLine, formatPorts } from './port-events.ts';
import { familiarName, parseNormalizedNamed } from './reference.ts';

const now = new Date('2026-11-22T13:00:00Z');

describe('formatter layer', () => {
  test('finalFormat strips "table", unescapes \\t and \\n, maps json', () => {
    expect(finalFormat('table {{.ID}}\\t{{.Names}}')).toBe('{{.ID}}\t{{.Names}}');
    expect(finalFormat('  {{.ID}}\\n ')).toBe('{{.ID}}\n');
    expect(finalFormat('json')).toBe('{{json .}}');
  });

  test('header: .Label "a.b-c" names the column by its last segment', () => {
    const header = headerContext({ ID: 'ID' });
    const row = rowContext('*t', { ID: () => 'x' }, {});
    expect(renderFormat('table {{.ID}}\t{{.Label "com.example.my-team_x"}}', header, [])).toBe('ID        my team x\n');
    expect(() => renderFormat('{{.Label "x"}}', header, [row])).toThrow(
      'template parsing error: template: :1:2: executing "" at <.Label>: can\'t evaluate field Label in type *t',
    );
  });

  test('header errors keep what was written before them (json of the header map)', () => {
    const header = headerContext({ ID: 'ID' });
    const row = rowContext('*t', { ID: () => 'abc' }, {});
    expect(renderFormat('table {{.ID}} {{json .}}', header, [row])).toBe('ID \nabc {"ID":"abc"}\n');
  });

  test('docker ps checks --format before listing, with its own wording', () => {
    expect(() => checkFormatFor('{{.Nope}}', emptyContainerContext(now))).toThrow(
      'failed to execute template: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.ContainerContext',
    );
    expect(() => checkFormatFor('{{.ID', emptyContainerContext(now))).toThrow(FormatError);
    expect(() => checkFormatFor('{{.ID', emptyContainerContext(now))).toThrow('failed to parse template: template: :1: unclosed action');
    expect(containerFormatUsesSize('table {{.ID}}\t{{.Size}}', now)).toBe(true);
    expect(containerFormatUsesSize('{{.ID}}', now)).toBe(false);
  });

  test.each([
    ['sha256:b52e0b094bc0e26c9eddc9e4ab7a64ce', 'b52e0b094bc0'],
    ['<missing>', '<missing>'],
    ['abc', 'abc'],
  ])('truncateID(%s)', (id, want) => expect(truncateID(id)).toBe(want));

  test.each([
    ['docker-entrypoint.sh redis-server', 20, 'docker-entrypoint.s…'],
    ['short', 20, 'short'],
    ['数据数据数据', 7, '数据数…'],
    ['héllo wörld', 6, 'héllo…'],
  ] as [string, number, string][])('ellipsis(%j, %d)', (s, n, want) => expect(ellipsis(s, n)).toBe(want));
});

describe('ports', () => {
  test.each([
    [[], ''],
    [[{ PrivatePort: 80, Type: 'tcp' }], '80/tcp'],
    [[{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
      '0.0.0.0:8080->80/tcp, [::]:8080->80/tcp'],
    [[{ IP: '0.0.0.0', PrivatePort: 9090, PublicPort: 9090, Type: 'tcp' }, { IP: '0.0.0.0', PrivatePort: 9091, PublicPort: 9091, Type: 'tcp' }],
      '0.0.0.0:9090-9091->9090-9091/tcp'],
    [[{ PrivatePort: 6000, Type: 'tcp' }, { PrivatePort: 6001, Type: 'tcp' }, { PrivatePort: 6003, Type: 'tcp' }, { PrivatePort: 53, Type: 'udp' }],
      '6000-6001/tcp, 53/udp, 6003/tcp'],
  ] as [Parameters<typeof displayablePorts>[0], string][])('%j', (ports, want) => {
    expect(displayablePorts(ports)).toBe(want);
  });

  test('docker port lines, naturally sorted', () => {
    const ports = {
      '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }, { HostIp: '::', HostPort: '8080' }],
      '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '8443' }],
      '53/udp': null,
    };
    expect(formatPorts(ports)).toBe('443/tcp -> 127.0.0.1:8443\n8080/tcp -> 0.0.0.0:8080\n8080/tcp -> [::]:8080\n');
    expect(formatPorts(ports, '8080')).toBe('0.0.0.0:8080\n[::]:8080\n');
    expect(formatPorts(ports, '53/udp')).toBeNull();
  });
});

describe('events', () => {
  test('default line: nanosecond time, sorted attributes', () => {
    const line = formatEventLine({
      Type: 'container',
      Action: 'start',
      Actor: { ID: 'abc123', Attributes: { name: 'x', image: 'busybox' } },
      time: 1795352400,
      timeNano: '1795352400000000123',
    });
    expect(line).toBe('2026-11-22T13:00:00.000000123Z container start abc123 (image=busybox, name=x)\n');
    expect(formatEventLine({ Type: 'network', Action: 'create', Actor: { ID: 'n1', Attributes: {} }, time: 1795352400 }))
      .toBe('2026-11-22T13:00:00.000000000Z network create n1\n');
  });
});

describe('references', () => {
  test.each([
    ['busybox', 'busybox', undefined],
    ['docker.io/library/busybox:latest', 'busybox', 'latest'],
    ['index.docker.io/user/app:1', 'user/app', '1'],
    ['localhost:5000/team/app:v1.2', 'localhost:5000/team/app', 'v1.2'],
    ['ghcr.io/a/b', 'ghcr.io/a/b', undefined],
  ])('%s', (s, name, tag) => {
    const ref = parseNormalizedNamed(s)!;
    expect(familiarName(ref)).toBe(name);
    expect(ref.tag).toBe(tag);
  });
  test('invalid references', () => {
    expect(parseNormalizedNamed('Busybox')).toBeNull();
    expect(parseNormalizedNamed('b52e0b094bc0e26c9eddc9e4ab7a64ce0033c3360d8b7ad4ff4132c4e03e8f7b')).toBeNull();
  });
});
