;; SHA-256's compression function (FIPS 180-4, section 6.2.2) over whole 64-byte blocks in memory: the part of
;; a SigV4 signature that costs time. Padding, HMAC and the digest bytes stay in skill/media/sha256.ts.
;;
;; Memory (one 64 KiB page): bytes 0-31 the hash state H0..H7, 32-287 the round constants K, 288-543 the message
;; schedule W, 1024 onwards the input blocks. Words are kept as numbers (little-endian in memory); input words are
;; read big-endian.
(module
  (memory (export "memory") 1)

  ;; The round constants, stored once when the module is instantiated.
  (func $constants
    (i32.store (i32.const 32) (i32.const 0x428a2f98)) (i32.store (i32.const 36) (i32.const 0x71374491)) (i32.store (i32.const 40) (i32.const 0xb5c0fbcf)) (i32.store (i32.const 44) (i32.const 0xe9b5dba5))
    (i32.store (i32.const 48) (i32.const 0x3956c25b)) (i32.store (i32.const 52) (i32.const 0x59f111f1)) (i32.store (i32.const 56) (i32.const 0x923f82a4)) (i32.store (i32.const 60) (i32.const 0xab1c5ed5))
    (i32.store (i32.const 64) (i32.const 0xd807aa98)) (i32.store (i32.const 68) (i32.const 0x12835b01)) (i32.store (i32.const 72) (i32.const 0x243185be)) (i32.store (i32.const 76) (i32.const 0x550c7dc3))
    (i32.store (i32.const 80) (i32.const 0x72be5d74)) (i32.store (i32.const 84) (i32.const 0x80deb1fe)) (i32.store (i32.const 88) (i32.const 0x9bdc06a7)) (i32.store (i32.const 92) (i32.const 0xc19bf174))
    (i32.store (i32.const 96) (i32.const 0xe49b69c1)) (i32.store (i32.const 100) (i32.const 0xefbe4786)) (i32.store (i32.const 104) (i32.const 0x0fc19dc6)) (i32.store (i32.const 108) (i32.const 0x240ca1cc))
    (i32.store (i32.const 112) (i32.const 0x2de92c6f)) (i32.store (i32.const 116) (i32.const 0x4a7484aa)) (i32.store (i32.const 120) (i32.const 0x5cb0a9dc)) (i32.store (i32.const 124) (i32.const 0x76f988da))
    (i32.store (i32.const 128) (i32.const 0x983e5152)) (i32.store (i32.const 132) (i32.const 0xa831c66d)) (i32.store (i32.const 136) (i32.const 0xb00327c8)) (i32.store (i32.const 140) (i32.const 0xbf597fc7))
    (i32.store (i32.const 144) (i32.const 0xc6e00bf3)) (i32.store (i32.const 148) (i32.const 0xd5a79147)) (i32.store (i32.const 152) (i32.const 0x06ca6351)) (i32.store (i32.const 156) (i32.const 0x14292967))
    (i32.store (i32.const 160) (i32.const 0x27b70a85)) (i32.store (i32.const 164) (i32.const 0x2e1b2138)) (i32.store (i32.const 168) (i32.const 0x4d2c6dfc)) (i32.store (i32.const 172) (i32.const 0x53380d13))
    (i32.store (i32.const 176) (i32.const 0x650a7354)) (i32.store (i32.const 180) (i32.const 0x766a0abb)) (i32.store (i32.const 184) (i32.const 0x81c2c92e)) (i32.store (i32.const 188) (i32.const 0x92722c85))
    (i32.store (i32.const 192) (i32.const 0xa2bfe8a1)) (i32.store (i32.const 196) (i32.const 0xa81a664b)) (i32.store (i32.const 200) (i32.const 0xc24b8b70)) (i32.store (i32.const 204) (i32.const 0xc76c51a3))
    (i32.store (i32.const 208) (i32.const 0xd192e819)) (i32.store (i32.const 212) (i32.const 0xd6990624)) (i32.store (i32.const 216) (i32.const 0xf40e3585)) (i32.store (i32.const 220) (i32.const 0x106aa070))
    (i32.store (i32.const 224) (i32.const 0x19a4c116)) (i32.store (i32.const 228) (i32.const 0x1e376c08)) (i32.store (i32.const 232) (i32.const 0x2748774c)) (i32.store (i32.const 236) (i32.const 0x34b0bcb5))
    (i32.store (i32.const 240) (i32.const 0x391c0cb3)) (i32.store (i32.const 244) (i32.const 0x4ed8aa4a)) (i32.store (i32.const 248) (i32.const 0x5b9cca4f)) (i32.store (i32.const 252) (i32.const 0x682e6ff3))
    (i32.store (i32.const 256) (i32.const 0x748f82ee)) (i32.store (i32.const 260) (i32.const 0x78a5636f)) (i32.store (i32.const 264) (i32.const 0x84c87814)) (i32.store (i32.const 268) (i32.const 0x8cc70208))
    (i32.store (i32.const 272) (i32.const 0x90befffa)) (i32.store (i32.const 276) (i32.const 0xa4506ceb)) (i32.store (i32.const 280) (i32.const 0xbef9a3f7)) (i32.store (i32.const 284) (i32.const 0xc67178f2)))
  (start $constants)

  ;; Starts a new hash: the initial hash value H(0).
  (func (export "init")
    (i32.store (i32.const 0) (i32.const 0x6a09e667)) (i32.store (i32.const 4) (i32.const 0xbb67ae85)) (i32.store (i32.const 8) (i32.const 0x3c6ef372)) (i32.store (i32.const 12) (i32.const 0xa54ff53a))
    (i32.store (i32.const 16) (i32.const 0x510e527f)) (i32.store (i32.const 20) (i32.const 0x9b05688c)) (i32.store (i32.const 24) (i32.const 0x1f83d9ab)) (i32.store (i32.const 28) (i32.const 0x5be0cd19)))

  ;; A big-endian word of the input.
  (func $word (param $address i32) (result i32)
    (local $x i32)
    (local.set $x (i32.load (local.get $address)))
    (i32.or
      (i32.or
        (i32.shl (local.get $x) (i32.const 24))
        (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0x00ff0000)))
      (i32.or
        (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0x0000ff00))
        (i32.shr_u (local.get $x) (i32.const 24)))))

  ;; Hashes `blocks` 64-byte blocks starting at `address` into the state.
  (func (export "compress") (param $address i32) (param $blocks i32)
    (local $i i32) (local $w2 i32) (local $w15 i32) (local $t1 i32) (local $t2 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (block $done
      (loop $block
        (br_if $done (i32.eqz (local.get $blocks)))
        ;; W0..W15: the block's words.
        (local.set $i (i32.const 0))
        (loop $load
          (i32.store offset=288 (i32.shl (local.get $i) (i32.const 2))
            (call $word (i32.add (local.get $address) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $load (i32.lt_u (local.get $i) (i32.const 16))))
        ;; W16..W63 = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16]
        (loop $schedule
          (local.set $w2 (i32.load offset=280 (i32.shl (local.get $i) (i32.const 2))))
          (local.set $w15 (i32.load offset=228 (i32.shl (local.get $i) (i32.const 2))))
          (i32.store offset=288 (i32.shl (local.get $i) (i32.const 2))
            (i32.add
              (i32.add
                (i32.xor
                  (i32.xor (i32.rotr (local.get $w2) (i32.const 17)) (i32.rotr (local.get $w2) (i32.const 19)))
                  (i32.shr_u (local.get $w2) (i32.const 10)))
                (i32.load offset=260 (i32.shl (local.get $i) (i32.const 2))))
              (i32.add
                (i32.xor
                  (i32.xor (i32.rotr (local.get $w15) (i32.const 7)) (i32.rotr (local.get $w15) (i32.const 18)))
                  (i32.shr_u (local.get $w15) (i32.const 3)))
                (i32.load offset=224 (i32.shl (local.get $i) (i32.const 2))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $schedule (i32.lt_u (local.get $i) (i32.const 64))))
        ;; The working variables start from the state.
        (local.set $a (i32.load (i32.const 0)))
        (local.set $b (i32.load (i32.const 4)))
        (local.set $c (i32.load (i32.const 8)))
        (local.set $d (i32.load (i32.const 12)))
        (local.set $e (i32.load (i32.const 16)))
        (local.set $f (i32.load (i32.const 20)))
        (local.set $g (i32.load (i32.const 24)))
        (local.set $h (i32.load (i32.const 28)))
        ;; 64 rounds.
        (local.set $i (i32.const 0))
        (loop $round
          ;; T1 = h + Sigma1(e) + Ch(e, f, g) + K[t] + W[t]
          (local.set $t1
            (i32.add
              (i32.add
                (i32.add
                  (local.get $h)
                  (i32.xor
                    (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11)))
                    (i32.rotr (local.get $e) (i32.const 25))))
                (i32.xor
                  (i32.and (local.get $e) (local.get $f))
                  (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g))))
              (i32.add
                (i32.load offset=32 (i32.shl (local.get $i) (i32.const 2)))
                (i32.load offset=288 (i32.shl (local.get $i) (i32.const 2))))))
          ;; T2 = Sigma0(a) + Maj(a, b, c)
          (local.set $t2
            (i32.add
              (i32.xor
                (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13)))
                (i32.rotr (local.get $a) (i32.const 22)))
              (i32.xor
                (i32.xor (i32.and (local.get $a) (local.get $b)) (i32.and (local.get $a) (local.get $c)))
                (i32.and (local.get $b) (local.get $c)))))
          (local.set $h (local.get $g))
          (local.set $g (local.get $f))
          (local.set $f (local.get $e))
          (local.set $e (i32.add (local.get $d) (local.get $t1)))
          (local.set $d (local.get $c))
          (local.set $c (local.get $b))
          (local.set $b (local.get $a))
          (local.set $a (i32.add (local.get $t1) (local.get $t2)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $round (i32.lt_u (local.get $i) (i32.const 64))))
        ;; The intermediate hash value.
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (local.get $a)))
        (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (local.get $b)))
        (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (local.get $c)))
        (i32.store (i32.const 12) (i32.add (i32.load (i32.const 12)) (local.get $d)))
        (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (local.get $e)))
        (i32.store (i32.const 20) (i32.add (i32.load (i32.const 20)) (local.get $f)))
        (i32.store (i32.const 24) (i32.add (i32.load (i32.const 24)) (local.get $g)))
        (i32.store (i32.const 28) (i32.add (i32.load (i32.const 28)) (local.get $h)))
        (local.set $address (i32.add (local.get $address) (i32.const 64)))
        (local.set $blocks (i32.sub (local.get $blocks) (i32.const 1)))
        (br $block))))
)
