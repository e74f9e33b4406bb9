'use strict'
// IDE docs (issue 14): every declaration and member of lib/index.d.ts and of the generated
// lib/surface.d.ts it re-exports has TSDoc, and every function, method and constructor says
// what it throws (`@throws`). Counted with the TypeScript compiler API; the test fails above zero.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const ts = require('typescript')

const DTS = ['index.d.ts', 'surface.d.ts'].map((f) => path.resolve(__dirname, '..', 'lib', f))

function undocumented () {
  return DTS.flatMap(undocumentedIn)
}

function undocumentedIn (file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const missing = []
  const docOf = (node) => ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc)
  const check = (node, name, callable) => {
    const docs = docOf(node)
    if (docs.length === 0) {
      missing.push(`${name}: no TSDoc`)
      return
    }
    if (callable && !docs.some((d) => (d.tags || []).some((t) => t.tagName.text === 'throws'))) {
      missing.push(`${name}: no @throws`)
    }
  }
  const nameOf = (node) => (node.name && node.name.getText(source)) || (ts.isConstructorDeclaration(node) ? 'constructor' : '?')
  const members = (owner, list) => {
    for (const m of list) {
      if (ts.isIndexSignatureDeclaration(m)) continue
      const callable = ts.isMethodSignature(m) || ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m)
      check(m, `${owner}.${nameOf(m)}`, callable)
      if (m.type && ts.isTypeLiteralNode(m.type)) members(`${owner}.${nameOf(m)}`, m.type.members)
    }
  }
  for (const st of source.statements) {
    if (ts.isInterfaceDeclaration(st) || ts.isClassDeclaration(st)) {
      check(st, st.name.text, false)
      members(st.name.text, st.members)
    } else if (ts.isTypeAliasDeclaration(st)) {
      check(st, st.name.text, false)
      if (ts.isTypeLiteralNode(st.type)) members(st.name.text, st.type.members)
      if (ts.isUnionTypeNode(st.type)) for (const t of st.type.types) if (ts.isTypeLiteralNode(t)) members(st.name.text, t.members)
    } else if (ts.isFunctionDeclaration(st)) {
      check(st, st.name.text, true)
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        check(st, d.name.getText(source), false)
        if (d.type && ts.isTypeLiteralNode(d.type)) members(d.name.getText(source), d.type.members)
      }
    }
  }
  return missing
}

test('every .d.ts declaration and member is documented; every callable has @throws', () => {
  const missing = undocumented()
  assert.equal(missing.length, 0, `${missing.length} undocumented:\n${missing.join('\n')}`)
})

test('Currency is the type of every currency field', () => {
  const text = DTS.map((f) => fs.readFileSync(f, 'utf8')).join('\n')
  assert.doesNotMatch(text, /(txcurrcd|currency)\??: string/, 'a currency typed as a plain string')
})
