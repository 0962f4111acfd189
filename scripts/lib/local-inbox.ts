// A local inbox for development and tests: MailDev's SMTP server plus its web UI and REST API
// (`GET {webUrl}/api/email` lists what arrived). In-process, in memory, loopback only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailDev } from 'maildev';

export interface LocalInboxOptions {
  /** 0 picks a free port. */
  smtpPort?: number;
  webPort?: number;
  host?: string;
}

export interface LocalInbox {
  smtpUrl: string;
  webUrl: string;
  stop(): Promise<void>;
}

export async function startLocalInbox(options: LocalInboxOptions = {}): Promise<LocalInbox> {
  const host = options.host ?? '127.0.0.1';
  // MailDev keeps each message's source on disk, by default in a shared /tmp/maildev that
  // nothing cleans; a directory per inbox is removed on stop.
  const mailDirectory = await mkdtemp(join(tmpdir(), 'local-inbox-'));
  const maildev = new MailDev({
    mailDirectory,
    smtp: options.smtpPort ?? 1025,
    web: options.webPort ?? 1080,
    ip: host,
    webIp: host,
    silent: true,
    // STARTTLS without a certificate would make nodemailer's opportunistic upgrade fail.
    hideExtensions: ['STARTTLS'],
  });
  let servers;
  try {
    servers = await maildev.start();
  } catch (error) {
    await maildev.stop().catch(() => {});
    await rm(mailDirectory, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`could not start the local inbox on ${host} (smtp ${options.smtpPort ?? 1025}, web ${options.webPort ?? 1080}): ${detail}`, {
      cause: error,
    });
  }
  const smtpPort = servers.smtp.getPort();
  const webPort = servers.api?.getPort();
  if (!webPort) {
    await maildev.stop();
    await rm(mailDirectory, { recursive: true, force: true });
    throw new Error('the local inbox started without its web server');
  }
  let stopped: Promise<void> | undefined;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    webUrl: `http://${host}:${webPort}`,
    stop: () =>
      (stopped ??= maildev.stop().finally(() => rm(mailDirectory, { recursive: true, force: true }))),
  };
}
