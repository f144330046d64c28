/**
 * The baseline for bench:launch: a bare Express + express-handlebars app serving a page of the
 * player page's size (a layout, a table of contents, an inline JSON launch configuration) and a
 * launcher page of the launcher's size. No session, no database, view cache on (compiled once).
 * Runs as a child process; BENCH_PAGE_BYTES / BENCH_LAUNCHER_BYTES size the pages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { create } from 'express-handlebars';
import { announce } from '../shared/child-server.js';

const pageBytes = Number(process.env.BENCH_PAGE_BYTES ?? 20_000);
const launcherBytes = Number(process.env.BENCH_LAUNCHER_BYTES ?? 1_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-launch-bare-'));
fs.mkdirSync(path.join(dir, 'layouts'));
fs.writeFileSync(path.join(dir, 'layouts', 'main.hbs'), `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{title}}</title>
<link rel="stylesheet" href="/assets/app.css"></head><body><header><nav><a href="/">首页</a> <a href="/me">我的课程</a></nav></header>
<main id="main">{{{body}}}</main></body></html>`);
fs.writeFileSync(path.join(dir, 'player.hbs'), `<h1>{{title}}</h1><ol class="toc">{{#each toc}}<li><a href="?sco={{identifier}}">{{title}}</a> {{status}}</li>{{/each}}</ol>
<iframe src="{{launcherUrl}}" title="{{title}}"></iframe>
<script type="application/json" id="launch-config">{{{config}}}</script><script src="/assets/player.js"></script>`);

// Enough launch state to bring the page to the real player's size.
const state = { cmi: { suspend_data: 'x'.repeat(Math.max(0, pageBytes - 1_200)), location: 'page-3', entry: 'resume' } };
const toc = Array.from({ length: 4 }, (_, i) => ({ identifier: `sco-${i + 1}`, title: `第${i + 1}节`, status: 'incomplete' }));
const launcherHtml = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>launcher</title></head><body>${'<!-- -->'.repeat(Math.max(0, (launcherBytes - 200) / 8))}
<iframe id="sco"></iframe><script src="/launcher/content-launcher.js"></script></body></html>`;

const app = express();
const engine = create({ extname: '.hbs', defaultLayout: 'main', layoutsDir: path.join(dir, 'layouts') });
app.engine('.hbs', engine.engine);
app.set('view engine', '.hbs');
app.set('views', dir);
app.enable('view cache');
app.get('/learn/:code', (req, res) => {
  res.render('player', { title: `课程 ${req.params.code}`, toc, launcherUrl: `/launcher/${req.params.code}`, config: JSON.stringify({ version: '2004', state }) });
});
app.get('/launcher/:code', (_req, res) => {
  res.type('html').send(launcherHtml);
});

const server = app.listen(0, '127.0.0.1', () => announce(server, {}, () => fs.rmSync(dir, { recursive: true, force: true })));
