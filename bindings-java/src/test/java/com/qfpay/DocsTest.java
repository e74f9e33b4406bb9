package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: every public declaration of the hand-written Kotlin surface (classes, functions,
 * properties, constructor properties, enum entries) has KDoc. Members of private/internal
 * classes, `internal`/`private` members, `override`s (documented where declared) and companion
 * objects are exempt. The generated com.qfpay.ffi package is internal and not checked.
 */
class DocsTest {
    static final Pattern DECL = Pattern.compile(
            "^(\\s*)(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*((?:(?:public|private|internal|protected|open|override|data|enum|sealed|abstract|const|inline|operator|companion|fun)\\s+)*)"
                    + "(fun|val|var|class|object|interface)\\b\\s*([\\w<>`.]*)");
    static final Pattern ENUM_ENTRY = Pattern.compile("^\\s+[A-Z][A-Z0-9_]*(\\(.*\\))?[,;]?\\s*(//.*)?$");

    @Test
    void everyPublicMemberHasKdoc() throws Exception {
        List<String> undocumented = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("src/main/kotlin/com/qfpay"))) {
            files = s.filter(p -> p.toString().endsWith(".kt")).sorted().toList();
        }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            int skipIndent = -1;
            boolean inEnum = false;
            int enumIndent = -1;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) continue;
                int indent = line.length() - line.stripLeading().length();
                if (skipIndent >= 0) {
                    if (indent > skipIndent || line.stripLeading().startsWith(")") || line.stripLeading().startsWith("}")) {
                        if (indent == skipIndent && line.stripLeading().startsWith("}")) skipIndent = -1;
                        continue;
                    }
                    skipIndent = -1;
                }
                String t = line.strip();
                if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//") || t.startsWith("@") && !t.contains(" fun ") && !t.contains(" val ")) continue;
                if (inEnum && indent <= enumIndent) inEnum = false;
                var m = DECL.matcher(line);
                boolean isDecl = m.find();
                boolean isEntry = inEnum && indent == enumIndent + 4 && ENUM_ENTRY.matcher(line).matches();
                if (!isDecl && !isEntry) continue;
                String mods = isDecl ? m.group(2) : "";
                if (isDecl && (mods.contains("private") || mods.contains("internal") || mods.contains("protected"))) {
                    if (!m.group(3).equals("fun") && !m.group(3).equals("val") && !m.group(3).equals("var")) skipIndent = indent;
                    continue;
                }
                if (isDecl && m.group(3).equals("class") && mods.contains("enum")) {
                    inEnum = true;
                    enumIndent = indent;
                }
                if (isDecl && (mods.contains("override") || t.startsWith("companion object"))) continue;
                if (isDecl && (m.group(3).equals("val") || m.group(3).equals("var") || m.group(3).equals("fun")) && indent > 0 && isLocal(lines, i)) continue;
                int j = i - 1;
                while (j >= 0 && (lines.get(j).isBlank() || lines.get(j).strip().startsWith("@"))) j--;
                boolean documented = j >= 0 && lines.get(j).strip().endsWith("*/");
                if (!documented) undocumented.add(f.getFileName() + ":" + (i + 1) + ": " + t);
            }
        }
        assertEquals(List.of(), undocumented, undocumented.size() + " undocumented public members");
    }

    /** A `val`/`fun` inside a function body (a local), not a member. */
    static boolean isLocal(List<String> lines, int i) {
        int indent = lines.get(i).length() - lines.get(i).stripLeading().length();
        for (int j = i - 1; j >= 0; j--) {
            String l = lines.get(j);
            if (l.isBlank()) continue;
            int ind = l.length() - l.stripLeading().length();
            if (ind < indent) {
                String t = l.strip();
                return t.contains("fun ") && t.endsWith("{") || t.endsWith("->") || t.endsWith("-> {") || t.endsWith("run {") || t.startsWith("try") || t.endsWith("= try {")
                        || t.startsWith("if") || t.startsWith("when") || t.startsWith("for") || t.contains("apply {") || t.endsWith("{") && !t.contains("class ") && !t.contains("object ") && !t.contains("interface ");
            }
        }
        return false;
    }
}
