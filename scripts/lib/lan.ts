// This machine's addresses a phone on the same network can reach.
import { hostname, networkInterfaces } from 'node:os';

/** Non-internal IPv4 addresses, one per interface address (Wi-Fi, Ethernet, VPN...). */
export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  }
  return out;
}

/**
 * Host names Vite's host check lets through besides IP addresses and localhost (which it always
 * allows): this machine's name and mDNS / home-router names, so `http://mypc.local:5173` works from
 * a phone while a DNS-rebinding attack through an arbitrary domain still does not.
 */
export function lanHostNames(): string[] {
  return [hostname(), '.local', '.lan', '.home.arpa'];
}
