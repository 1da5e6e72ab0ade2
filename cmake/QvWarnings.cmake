# One function gives every target of ours the same warnings and sanitizer flags.
function(qv_target_defaults target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                             -Wno-sign-conversion -Wnon-virtual-dtor
                                             -Wold-style-cast -Woverloaded-virtual)
    # Physics and filters must give the same numbers everywhere: no fused multiply-add.
    target_compile_options(${target} PRIVATE -ffp-contract=off)
    if(QV_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(QV_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                                                 -fno-sanitize-recover=undefined
                                                 -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()
