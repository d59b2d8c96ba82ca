;; JSON string escaping for the content hash (./content-hash.ts). Compiled by
;; scripts/json-escape-wasm.mjs into ./json-escape-wasm.ts; a test checks the two agree.
(module
  (memory (export "memory") 64) ;; 4 MiB, never grown
  ;; Where the string escape() last read ends: the start of the next one.
  (global $next (mut i32) (i32.const 0))
  ;; escape(s, u, d): copies the UTF-8 bytes at s of a string of u UTF-16 code units to d as the
  ;; inside of a JSON string, escaped exactly as JSON.stringify escapes them (\" \\ \b \t \n \f \r,
  ;; other control characters as \u00xx in lowercase; everything else as it is); sets $next to the
  ;; end of its bytes and returns the end of what it wrote. Returns -1 on meeting EF BF BD (U+FFFD),
  ;; which is what a lone surrogate becomes in UTF-8 while JSON.stringify writes it as \udxxx, and on
  ;; a 4-byte character of which the string holds only the first half (its lone high surrogate and
  ;; a lone low one starting the next string became one character): the caller then writes the
  ;; line with JSON.stringify. Sixteen bytes at a time (SIMD) while they are ASCII needing no escape.
  (func $escape (param $s i32) (param $u i32) (param $d i32) (result i32)
    (local $b i32) (local $v v128)
    (block $done
      (loop $l
        (if (i32.ge_u (local.get $u) (i32.const 16))
          (then
            (local.set $v (v128.load (local.get $s)))
            ;; signed: bytes of 0x80 and above (non-ASCII) are below 0x20 too
            (if (i32.eqz (v128.any_true
                  (v128.or
                    (i8x16.lt_s (local.get $v) (i8x16.splat (i32.const 0x20)))
                    (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))
                             (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c)))))))
              (then
                (v128.store (local.get $d) (local.get $v))
                (local.set $s (i32.add (local.get $s) (i32.const 16)))
                (local.set $d (i32.add (local.get $d) (i32.const 16)))
                (local.set $u (i32.sub (local.get $u) (i32.const 16)))
                (br $l)))))
        (br_if $done (i32.eqz (local.get $u)))
        (local.set $b (i32.load8_u (local.get $s)))
        (if (i32.ge_u (local.get $b) (i32.const 0x80))
          (then
            (if (i32.ge_u (local.get $b) (i32.const 0xf0))
              (then
                ;; four bytes, two code units (a surrogate pair)
                (if (i32.lt_u (local.get $u) (i32.const 2)) (then (return (i32.const -1))))
                (i32.store (local.get $d) (i32.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (i32.const 4)))
                (local.set $d (i32.add (local.get $d) (i32.const 4)))
                (local.set $u (i32.sub (local.get $u) (i32.const 2)))
                (br $l)))
            (if (i32.ge_u (local.get $b) (i32.const 0xe0))
              (then
                ;; three bytes, one code unit
                (if (i32.and (i32.eq (local.get $b) (i32.const 0xef))
                             (i32.eq (i32.load16_u offset=1 (local.get $s)) (i32.const 0xbdbf)))
                  (then (return (i32.const -1))))
                (i32.store16 (local.get $d) (i32.load16_u (local.get $s)))
                (i32.store8 offset=2 (local.get $d) (i32.load8_u offset=2 (local.get $s)))
                (local.set $s (i32.add (local.get $s) (i32.const 3)))
                (local.set $d (i32.add (local.get $d) (i32.const 3)))
                (local.set $u (i32.sub (local.get $u) (i32.const 1)))
                (br $l)))
            ;; two bytes, one code unit
            (i32.store16 (local.get $d) (i32.load16_u (local.get $s)))
            (local.set $s (i32.add (local.get $s) (i32.const 2)))
            (local.set $d (i32.add (local.get $d) (i32.const 2)))
            (local.set $u (i32.sub (local.get $u) (i32.const 1)))
            (br $l)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (local.set $u (i32.sub (local.get $u) (i32.const 1)))
        (if (i32.eq (local.get $b) (i32.const 0x22))
          (then (i32.store16 (local.get $d) (i32.const 0x225c)) (local.set $d (i32.add (local.get $d) (i32.const 2))) (br $l)))
        (if (i32.eq (local.get $b) (i32.const 0x5c))
          (then (i32.store16 (local.get $d) (i32.const 0x5c5c)) (local.set $d (i32.add (local.get $d) (i32.const 2))) (br $l)))
        (if (i32.lt_u (local.get $b) (i32.const 0x20))
          (then
            (i32.store8 (local.get $d) (i32.const 0x5c))
            (if (i32.eq (local.get $b) (i32.const 0x0a)) (then (i32.store8 offset=1 (local.get $d) (i32.const 0x6e)) (local.set $d (i32.add (local.get $d) (i32.const 2))) (br $l)))
            (if (i32.eq (local.get $b) (i32.const 0x0d)) (then (i32.store8 offset=1 (local.get $d) (i32.const 0x72)) (local.set $d (i32.add (local.get $d) (i32.const 2))) (br $l)))
            (if (i32.eq (local.get $b) (i32.const 0x09)) (then (i32.store8 offset=1 (local.get $d) (i32.const 0x74)) (local.set $d (i32.add (local.get $d) (i32.const 2))) (br $l)))
            (if (i32.eq (local.get $b) (i32.const 0x08)) (then (i32.store8 offset=1 (local.get $d) (i32.const 0x62)) (local.set $d (i32.add (local.get $d) (i32.const 2))) (br $l)))
            (if (i32.eq (local.get $b) (i32.const 0x0c)) (then (i32.store8 offset=1 (local.get $d) (i32.const 0x66)) (local.set $d (i32.add (local.get $d) (i32.const 2))) (br $l)))
            ;; \u00XX, lowercase hex as JSON.stringify writes it
            (i32.store (i32.add (local.get $d) (i32.const 1)) (i32.const 0x30303075)) ;; "u000"
            (i32.store8 offset=4 (local.get $d) (i32.add (i32.const 0x30) (i32.shr_u (local.get $b) (i32.const 4))))
            (i32.store8 offset=5 (local.get $d)
              (select (i32.add (i32.const 0x57) (i32.and (local.get $b) (i32.const 15)))
                      (i32.add (i32.const 0x30) (i32.and (local.get $b) (i32.const 15)))
                      (i32.ge_u (i32.and (local.get $b) (i32.const 15)) (i32.const 10))))
            (local.set $d (i32.add (local.get $d) (i32.const 6)))
            (br $l)))
        (i32.store8 (local.get $d) (local.get $b))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br $l)))
    (global.set $next (local.get $s))
    (local.get $d))
  ;; line(s, u0, u1, u2, n, d): the canonical line of a row written at s as n bytes of UTF-8: its
  ;; id, split and input (u0, u1, u2 UTF-16 code units long), then the rest of its line
  ;; (`choices,references,metadata]\n`, JSON already). Writes ["id","split","input",rest at d,
  ;; the three strings escaped, and returns the end of what it wrote, or -1 as escape does.
  (func (export "line") (param $s i32) (param $u0 i32) (param $u1 i32) (param $u2 i32) (param $n i32) (param $d i32) (result i32)
    (local $end i32) (local $rest i32)
    (local.set $end (i32.add (local.get $s) (local.get $n)))
    (i32.store16 (local.get $d) (i32.const 0x225b)) ;; ["
    (local.set $d (call $escape (local.get $s) (local.get $u0) (i32.add (local.get $d) (i32.const 2))))
    (if (i32.lt_s (local.get $d) (i32.const 0)) (then (return (i32.const -1))))
    (i32.store16 (local.get $d) (i32.const 0x2c22)) ;; ",
    (i32.store8 offset=2 (local.get $d) (i32.const 0x22)) ;; "
    (local.set $d (call $escape (global.get $next) (local.get $u1) (i32.add (local.get $d) (i32.const 3))))
    (if (i32.lt_s (local.get $d) (i32.const 0)) (then (return (i32.const -1))))
    (i32.store16 (local.get $d) (i32.const 0x2c22))
    (i32.store8 offset=2 (local.get $d) (i32.const 0x22))
    (local.set $d (call $escape (global.get $next) (local.get $u2) (i32.add (local.get $d) (i32.const 3))))
    (if (i32.lt_s (local.get $d) (i32.const 0)) (then (return (i32.const -1))))
    (i32.store16 (local.get $d) (i32.const 0x2c22)) ;; ",
    (local.set $rest (i32.sub (local.get $end) (global.get $next)))
    (memory.copy (i32.add (local.get $d) (i32.const 2)) (global.get $next) (local.get $rest))
    (i32.add (i32.add (local.get $d) (i32.const 2)) (local.get $rest)))
)
