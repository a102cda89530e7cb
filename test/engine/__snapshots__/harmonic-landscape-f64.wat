(module
  (type (;0;) (func (param i32 i32)))
  (import "env" "memory" (memory (;0;) 1))
  (func (;0;) (type 0) (param i32 i32)
    (local i32 i32 v128 v128 v128 v128 v128 v128 v128 v128)
    local.get 0
    local.set 2
    block  ;; label = @1
      loop  ;; label = @2
        local.get 2
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 2
        i32.const 8
        i32.mul
        f64.load offset=128
        f64x2.splat
        local.set 4
        local.get 2
        i32.const 8
        i32.mul
        f64.load offset=160
        f64x2.splat
        local.set 5
        f64.const 0x0p+0 (;=0;)
        f64x2.splat
        local.set 6
        i32.const 0
        local.set 3
        block  ;; label = @3
          loop  ;; label = @4
            local.get 3
            i32.const 64
            i32.ge_u
            br_if 1 (;@3;)
            local.get 3
            v128.load
            local.set 7
            local.get 5
            local.get 7
            f64x2.mul
            local.set 8
            local.get 8
            f64x2.neg
            local.set 9
            local.get 9
            local.get 4
            f64x2.div
            local.set 10
            local.get 6
            local.get 10
            local.get 3
            v128.load offset=64
            f64x2.sub
            local.tee 11
            local.get 11
            f64x2.mul
            f64x2.add
            local.set 6
            local.get 3
            i32.const 16
            i32.add
            local.set 3
            br 0 (;@4;)
          end
        end
        local.get 2
        i32.const 8
        i32.mul
        local.get 6
        f64x2.extract_lane 0
        local.get 6
        f64x2.extract_lane 1
        f64.add
        f64.const 0x1p-3 (;=0.125;)
        f64.mul
        f64.store offset=192
        local.get 2
        i32.const 1
        i32.add
        local.set 2
        br 0 (;@2;)
      end
    end)
  (export "kernel" (func 0)))
